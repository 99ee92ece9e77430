import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { startChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { replyTexts } from '../../src/chat/reply-texts.ts';
import { chatFakesConfig } from '../helpers/chat-fakes-config.ts';
import { clickWeComCard, weComCardSent } from '../helpers/wecom-cards.ts';
import { until as untilAnswered } from '../helpers/until.ts';

/**
 * An approver group fed by a WeCom department: carol approves only because her userid is in
 * department 42. A directory outage keeps her; taking her out of the department ends her approvals.
 */
describe('an approver group whose members come from a WeCom department', () => {
  let world: TestWorld;
  let fakes: ChatFakes;
  const ttlMs = 400;
  const listPath = '/cgi-bin/user/simplelist';

  beforeAll(async () => {
    fakes = await startChatFakes();
    fakes.wecomApi.setDepartment(42, ['carol', 'someone-unmapped']);
    // The world is wired to the fake WeCom API only, not to Slack.
    const { http, wecom } = chatFakesConfig(fakes);
    world = await startTestWorld('directory-groups', {
      http,
      wecom,
      policy: {
        people: [
          { id: 'alice', name: 'Alice', wecom: 'alice' },
          { id: 'bob', name: 'Bob', wecom: 'bob' },
          { id: 'carol', name: 'Carol', wecom: 'carol' },
        ],
        groups: { sre: { members: ['bob'], wecomDepartment: 42 } },
        rules: [
          {
            clusters: ['*'],
            namespaces: ['my-namespace'],
            requesters: ['alice'],
            approvers: ['group:sre'],
            quorum: 1,
          },
        ],
        directoryTtlMs: ttlMs,
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
    await fakes?.stop();
  });

  const listings = (since: number) =>
    fakes.wecomApi
      .calls()
      .slice(since)
      .filter((c) => c.path === listPath);

  /** 20 s and every 50 ms unless told. */
  const until = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000) =>
    untilAnswered(what, probe, timeoutMs, 50);

  async function stateOf(requestId: string) {
    return (await world.app.engine.read(requestId))?.state;
  }

  async function openRequest(): Promise<string> {
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const id = opened.requestId!;
    const state = await until(`${id} to be planned`, async () => {
      const now = await stateOf(id);
      return now === 'new' || now === 'planning' ? undefined : now;
    });
    expect(state).toBe('awaitingApproval');
    return id;
  }

  async function clickApproveOnCard(user: string, requestId: string) {
    const card = await until(`a WeCom card for ${user} about ${requestId}`, () =>
      weComCardSent(fakes.wecomApi, user, requestId),
    );
    const res = await clickWeComCard(world.app.httpUrl!, fakes, user, card, 'approve');
    expect(res.status).toBe(200);
  }

  it('lets carol approve from her WeCom card, keeps her through an outage, and refuses her once she has left the department', async () => {
    const first = await openRequest();
    const duringOutage = await openRequest();
    const afterRemoval = await openRequest();

    // In the department: she gets a card, and her click approves the request, which runs to the end.
    await clickApproveOnCard('carol', first);
    expect(
      await until(
        `${first} to finish`,
        async () => {
          const state = await stateOf(first);
          return ['done', 'needsAttention', 'failed'].includes(state ?? '') ? state : undefined;
        },
        45_000,
      ),
    ).toBe('done');
    const approval = (await world.app.store.listAudit({ requestId: first })).find(
      (row) => row.action === 'approve' && row.outcome === 'accepted',
    );
    expect(approval?.actor).toBe('carol');
    expect(approval?.details).toMatchObject({ approverVia: ['group:sre/wecomDepartment:42'] });

    // WeCom's directory is down for several TTLs: the last members read still count.
    const outageFrom = fakes.wecomApi.calls().length;
    fakes.wecomApi.failNext(-1, 1_000_000, { path: listPath });
    await until('two failed department reads', () =>
      listings(outageFrom).filter((c) => c.errcode === -1).length >= 2 ? true : undefined,
    );
    const denied = await world.say(
      'carol',
      `deny ${duringOutage} the directory is down, carol still decides`,
    );
    expect(denied.text).not.toContain('not an approver');
    expect(await stateOf(duringOutage)).toBe('denied');

    // The outage ends and carol leaves department 42 (through the fake's admin API).
    fakes.wecomApi.clearFailures();
    const removedFrom = fakes.wecomApi.calls().length;
    const removed = await fetch(`${fakes.wecom.fakeApiUrl}/admin/departments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 42, userids: ['someone-unmapped'] }),
    });
    expect(removed.status).toBe(200);
    // Two successful reads after the change: the second started after the first one was applied.
    await until('two department reads after the change', () =>
      listings(removedFrom).filter((c) => c.errcode === 0).length >= 2 ? true : undefined,
    );
    const refused = await world.say('carol', `approve ${afterRemoval}`);
    // No longer an approver there, she may not see the namespace either: the request is out of her sight.
    expect(refused.text).toBe(replyTexts.en.noSuchRequest({ id: afterRemoval }));
    expect(refused.kind).toBe('error');
    expect(await stateOf(afterRemoval)).toBe('awaitingApproval');
    const refusal = (await world.app.store.listAudit({ requestId: afterRemoval })).find(
      (row) => row.action === 'approve',
    );
    expect(refusal?.outcome).toBe('refused:not_an_approver');
    // bob, listed by name, still approves.
    const bob = await world.say('bob', `deny ${afterRemoval} tidying up`);
    expect(bob.text).not.toContain('not an approver');
  });
});
