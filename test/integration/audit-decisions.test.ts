import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatWorld } from '../helpers/chat-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { postSlackForm, postWeComText } from '../helpers/signed-chat-posts.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { approvalButtonPayload, slashCommandForm } from '../helpers/slack-payloads.ts';
import { clickWeComCard, weComCardSent } from '../helpers/wecom-cards.ts';
import type { WeComCard } from '../helpers/wecom-cards.ts';
import { chatPeople } from '../helpers/chat-people.ts';
import { until } from '../helpers/until.ts';
import { deploySuperNodeApps } from '../helpers/deploy-super-node-apps.ts';
import { verifyStoredAudit } from '../../src/audit/verify-audit-trail.ts';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.ts';
import type { AuditRow } from '../../src/store/store.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';

/**
 * Issue 14, finding 3: the audit said `accepted` for decisions the machine refused. Here one
 * person decides the same request over every channel at once, and another denies it once it has
 * moved on; the audit must count exactly what changed the request, and say why the rest did not.
 * The tests tell one story in order: each reads what the one before it left.
 */
describe('the audit of approve and deny decisions', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  let url = '';
  /** Needs one approval from sre: bob's first approval moves it on. */
  let requestId = '';

  beforeAll(async () => {
    ({ world, fakes, url } = await startChatWorld('audit-decisions', {
      policy: {
        people: chatPeople,
        groups: { sre: ['bob', 'carol'] },
        rules: [
          {
            clusters: ['*'],
            namespaces: ['kube-system'],
            requesters: ['alice'],
            approvers: ['group:sre'],
            quorum: 2,
          },
          {
            clusters: ['*'],
            namespaces: ['my-namespace'],
            requesters: ['alice'],
            approvers: ['group:sre'],
            quorum: 1,
          },
        ],
      },
    }));
  });

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  /** A unique WeCom MsgId (digits only, as WeCom sends them). */
  const weComMsgId = () => `${Date.now()}${randomInt(100_000, 999_999)}`;

  async function slashCommand(user: string, text: string) {
    const res = await postSlackForm(url, fakes.slack.signingSecret, slashCommandForm({ user, text }));
    expect(res.status).toBe(200);
  }

  async function slackApproveButton(user: string, id: string) {
    const payload = approvalButtonPayload({ user, action: 'sgops_approve', requestId: id });
    const res = await postSlackForm(url, fakes.slack.signingSecret, { payload: JSON.stringify(payload) });
    expect(res.status).toBe(200);
  }

  async function weComText(user: string, content: string) {
    const res = await postWeComText(url, fakes.wecom, { user, content, msgId: weComMsgId() });
    expect(res.status).toBe(200);
  }

  /** The approval card the app sent `touser` in WeCom about the request. */
  function weComCard(touser: string, id: string) {
    return until(`a WeCom card for ${touser} about ${id}`, () => weComCardSent(fakes.wecomApi, touser, id));
  }

  async function clickWeComApprove(user: string, card: WeComCard) {
    const res = await clickWeComCard(url, fakes, user, card, 'approve');
    expect(res.status).toBe(200);
  }

  /**
   * bob approves `id` five times at once, each over its own channel and with its own message id:
   * a console line, a Slack slash command, Slack's Approve button, a WeCom line, his WeCom card.
   */
  async function bobApprovesOverFiveChannels(id: string) {
    const card = await weComCard('bob', id);
    await Promise.all([
      world.app.console.say('bob', `approve ${id}`),
      slashCommand('U0BOB', `approve ${id}`),
      slackApproveButton('U0BOB', id),
      weComText('bob', `approve ${id}`),
      clickWeComApprove('bob', card),
    ]);
  }

  const decisionsOf = async (id: string, actor: string, action: string) =>
    (await world.app.store.listAudit({ requestId: id })).filter(
      (r) => r.kind === 'decision' && r.actor === actor && r.action === action,
    );

  /** Waits until `n` such decision rows are written (a refusal outside a transition is written apart). */
  const decisionRows = (id: string, actor: string, action: string, n: number) =>
    until(`${n} ${action} decision rows by ${actor} on ${id}`, async () => {
      const rows = await decisionsOf(id, actor, action);
      return rows.length >= n ? rows : undefined;
    });

  const stateOf = async (id: string) => (await world.app.engine.read(id))!.state;

  /** Each row's channel: the platform, and what kind of message id it came with. */
  const channelsOf = (rows: AuditRow[]) =>
    rows
      .map((r) => {
        const platform = String(r.details['platform']);
        const messageId = String(r.details['messageId']);
        const kind =
          platform === 'slack'
            ? messageId.split('.')[0]
            : platform === 'wecom'
              ? messageId.startsWith('card.')
                ? 'card'
                : 'text'
              : 'line';
        return `${platform} ${kind}`;
      })
      .sort();
  const fiveChannels = ['console line', 'slack act', 'slack cmd', 'wecom card', 'wecom text'];

  async function openGrant(app: string, namespace: string) {
    const opened = await world.say('alice', `grant pod SG to app ${app} in ${namespace}`);
    expect(opened.requestId).toMatch(/^[A-Z0-9]{4,}$/);
    const id = opened.requestId!;
    await stateBecomes(world, id, ['awaitingApproval']);
    return id;
  }

  it('records five concurrent approvals by bob over five channels as one accepted approve and four refused ones, with one approval counted, and the request runs to done', async () => {
    requestId = await openGrant('my-app', 'my-namespace');

    await bobApprovesOverFiveChannels(requestId);
    const rows = await decisionRows(requestId, 'bob', 'approve', 5);
    expect(await stateBecomes(world, requestId, ['done', 'needsAttention', 'failed'])).toBe('done');

    // Read again once the request is done: a late sixth row would show here.
    const settled = await decisionsOf(requestId, 'bob', 'approve');
    expect(settled.map((r) => r.seq)).toEqual(rows.map((r) => r.seq));
    expect(channelsOf(settled)).toEqual(fiveChannels);
    expect(new Set(settled.map((r) => r.details['messageId'])).size).toBe(5);
    expect(settled.every((r) => r.target === requestId)).toBe(true);

    const outcomes = settled.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    const refused = outcomes.filter((o) => o !== 'accepted');
    expect(refused).toHaveLength(4);
    // One approval moves this request past approval: every other one finds it no longer waiting.
    for (const outcome of refused) expect(outcome).toBe('refused:not_awaiting_approval');

    // The accepted row is the one whose message made the approval row.
    const approvals = await world.app.store.listApprovals(requestId);
    expect(approvals.map((a) => [a.personId, a.decision])).toEqual([['bob', 'approve']]);
    const accepted = settled.find((r) => r.outcome === 'accepted')!;
    expect([accepted.details['platform'], accepted.details['messageId']]).toEqual([
      approvals[0]!.platform,
      approvals[0]!.messageId,
    ]);
    expect(accepted.details['signsFor']).toEqual(expect.any(Array));

    // No decision row of bob's landed on another request, or on none.
    const everyApproveByBob = (await world.app.store.listAudit()).filter(
      (r) => r.kind === 'decision' && r.actor === 'bob' && r.action === 'approve',
    );
    expect(everyApproveByBob.map((r) => r.seq)).toEqual(settled.map((r) => r.seq));
    expect((await world.app.engine.read(requestId))!.context).toMatchObject({
      approvals: [{ by: 'bob' }],
    });
  });

  it('records a deny by carol that arrives after the request was approved as refused:not_awaiting_approval, and the request is not denied', async () => {
    expect(await stateOf(requestId)).toBe('done');
    const before = (await world.app.engine.read(requestId))!.context as GrantContext;

    const answer = await world.say('carol', `deny ${requestId} too broad`);
    expect(answer.kind).toBe('error');
    // carol reads 中文, whatever words she types.
    expect(answer.text).toBe(`${requestId} 当前状态为 已完成，不在等待审批。`);
    await weComText('carol', `拒绝 ${requestId} 范围太大`);

    const rows = await decisionRows(requestId, 'carol', 'deny', 2);
    expect(rows.map((r) => [r.details['platform'], r.outcome])).toEqual([
      ['console', 'refused:not_awaiting_approval'],
      ['wecom', 'refused:not_awaiting_approval'],
    ]);
    expect(rows.every((r) => r.details['state'] === 'done')).toBe(true);

    const after = await world.app.engine.read(requestId);
    expect(after!.state).toBe('done');
    expect(after!.context).toEqual(before);
    expect((after!.context as GrantContext).decision).toMatchObject({ by: 'bob' });
    const approvals = await world.app.store.listApprovals(requestId);
    expect(approvals.map((a) => [a.personId, a.decision])).toEqual([['bob', 'approve']]);
  });

  it('shows, in `audit <id>` of the done request, one approval by bob and every refused decision as refused, with no denial in English or Chinese', async () => {
    const english = await world.say('alice', `audit ${requestId}`);
    expect(english.state).toBe('done');
    const en = english.text.split('\n');
    expect(english.text).not.toContain('Denied');
    expect(en.filter((l) => l.startsWith('Approved by '))).toEqual([
      expect.stringMatching(/^Approved by bob — /),
    ]);
    expect(
      en.filter((l) => l.startsWith('Refused: bob tried to approve (not_awaiting_approval) — ')),
    ).toHaveLength(4);
    expect(
      en.filter((l) => l.startsWith('Refused: carol tried to deny (not_awaiting_approval) — ')),
    ).toHaveLength(2);
    expect(english.text).toContain('Chain: verified');

    const chinese = await world.say('bob', `审计 ${requestId}`);
    const zh = chinese.text.split('\n');
    // An accepted decision reads `<who> <verb>——<where>`: no such line says anyone denied it.
    expect(zh.filter((l) => /^\S+ 拒绝——/.test(l))).toEqual([]);
    expect(zh.filter((l) => /^\S+ 批准——/.test(l))).toEqual([expect.stringMatching(/^bob 批准——/)]);
    expect(zh.filter((l) => l.startsWith('未受理：bob 试图批准（not_awaiting_approval）——'))).toHaveLength(4);
    expect(zh.filter((l) => l.startsWith('未受理：carol 试图拒绝（not_awaiting_approval）——'))).toHaveLength(
      2,
    );
    // 已拒绝 is how a denied request is told (the WeCom card's outcome): this one was never denied.
    expect(chinese.text).not.toContain('已拒绝');
    expect(chinese.text).toContain('审计链：校验通过');
  });

  it("records five concurrent approvals by bob of a request that needs two approvers as one accepted and four refused:already_decided, and only carol's approval moves it on", async () => {
    // An app that runs there: a selector that matches nothing is refused before anything is opened.
    await deploySuperNodeApps(world.simulator, [{ app: 'dns-probe', namespace: 'kube-system' }]);
    const id = await openGrant('dns-probe', 'kube-system');

    await bobApprovesOverFiveChannels(id);
    const rows = await decisionRows(id, 'bob', 'approve', 5);
    expect(channelsOf(rows)).toEqual(fiveChannels);
    expect(rows.map((r) => r.outcome).sort()).toEqual([
      'accepted',
      'refused:already_decided',
      'refused:already_decided',
      'refused:already_decided',
      'refused:already_decided',
    ]);
    expect(await stateOf(id)).toBe('awaitingApproval');
    expect((await world.app.store.listApprovals(id)).map((a) => a.personId)).toEqual(['bob']);

    await world.app.console.say('carol', `approve ${id}`);
    const [carol] = await decisionRows(id, 'carol', 'approve', 1);
    expect(carol!.outcome).toBe('accepted');
    // Past approval is all this asks: how the grant itself ends is not this test's question.
    const moved = await until(`request ${id} to leave awaitingApproval`, async () => {
      const state = await stateOf(id);
      return state === 'awaitingApproval' ? undefined : state;
    });
    expect(moved).not.toBe('denied');
    expect((await world.app.engine.read(id))!.context).toMatchObject({ decision: { by: 'carol' } });
    expect((await world.app.store.listApprovals(id)).map((a) => a.personId).sort()).toEqual(['bob', 'carol']);
    expect(await decisionsOf(id, 'bob', 'approve')).toHaveLength(5);
  });

  it('keeps the audit chain verifiable after every accepted and refused decision', async () => {
    const rows = await world.app.store.listAudit();
    const decisions = rows.filter((r) => r.kind === 'decision');
    expect(decisions.filter((r) => r.outcome?.startsWith('refused:'))).toHaveLength(4 + 2 + 4);
    const key = world.app.config.audit.key;
    expect(verifyAuditChain(rows, key)).toEqual({ ok: true, count: rows.length });
    const report = await verifyStoredAudit(world.app.store, key, { requestId });
    expect(report).toMatchObject({ ok: true, broken: null });
    // Rows written after the read above (none are expected) would only add to the count.
    expect(report.count).toBeGreaterThanOrEqual(rows.length);
    expect(report.request).toMatchObject({ id: requestId, affected: 0 });
  });
});
