/**
 * The request view's actions over real HTTP: each person is offered only what the chat would let
 * them do, and a button's line (sent through /api/say, as the chat's own line) meets the chat's
 * checks — the requester cannot approve her own request from the console either, and someone who
 * may not see the request hears what an unknown id gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/http/start-http-server.ts';
import type { RequestDetail } from '../../src/console/request-views.ts';
import { startConsoleServer } from '../helpers/console-server.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { until } from '../helpers/until.ts';

interface Said {
  text: string;
  kind: string;
  requestId?: string;
  state?: string;
}

describe('the actions of the console request view', () => {
  let world: TestWorld;
  let server: HttpServer;
  let url = '';

  beforeAll(async () => {
    world = await startTestWorld('console-actions');
    server = await startConsoleServer(world.app, samplePolicy.people);
    url = server.url;
  });

  afterAll(async () => {
    await server?.close();
    await world?.stop();
  });

  /** Says a line as `person` through the console API and returns the bot's answer to it. */
  async function say(person: string, text: string): Promise<Said> {
    const res = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: person, text }),
    });
    expect(res.status).toBe(200);
    const { messageId, cursor } = (await res.json()) as { messageId: string; cursor: number };
    for (let after = cursor; ;) {
      const page = (await (
        await fetch(`${url}/api/messages?as=${person}&after=${after}&wait=10000`)
      ).json()) as { messages: (Said & { inReplyTo?: string })[]; cursor: number };
      const reply = page.messages.find((m) => m.inReplyTo === messageId);
      if (reply) return reply;
      if (page.messages.length === 0) throw new Error(`no answer to ${text}`);
      after = page.cursor;
    }
  }

  async function view(id: string, person: string) {
    const res = await fetch(`${url}/api/requests/${id}/view?as=${person}`);
    return { status: res.status, body: (await res.json()) as RequestDetail };
  }
  const actionsOf = async (id: string, person: string) =>
    (await view(id, person)).body.actions.map((a) => a.id);

  /** Waits until `person`'s view of `id` is in `state`. */
  const reaches = (id: string, person: string, state: string, timeoutMs: number) =>
    until(
      `${id} ${state}`,
      async () => ((await view(id, person)).body.state === state ? true : undefined),
      timeoutMs,
    );

  async function openGrant(app: string) {
    const opened = await say('alice', `grant pod SG to app ${app} in my-namespace`);
    const id = opened.requestId!;
    await reaches(id, 'alice', 'awaitingApproval', 20_000);
    return id;
  }

  it('offers the requester cancel only, an approver approve, deny and cancel, and a view for nobody none', async () => {
    const id = await openGrant('my-app');
    expect(await actionsOf(id, 'alice')).toEqual(['cancel']);
    const bob = (await view(id, 'bob')).body.actions;
    expect(bob).toEqual([
      { id: 'approve', line: `approve ${id}` },
      { id: 'deny', line: `deny ${id}` },
      { id: 'cancel', line: `cancel ${id}` },
    ]);
    // Carol reads 中文: her buttons say her lines, so the chat answers her in 中文.
    expect((await view(id, 'carol')).body.actions).toEqual([
      { id: 'approve', line: `批准 ${id}` },
      { id: 'deny', line: `拒绝 ${id}` },
      { id: 'cancel', line: `取消 ${id}` },
    ]);
    const anyone = (await (await fetch(`${url}/api/requests/${id}/view`)).json()) as RequestDetail;
    expect(anyone.actions).toEqual([]);
    // Someone who may not see the request gets no view of it, let alone its actions.
    expect((await view(id, 'erin')).status).toBe(404);
    await say('alice', `cancel ${id}`);
  }, 60_000);

  it('refuses alice approving her own request from the console as the chat does, and records who tried', async () => {
    const id = await openGrant('my-app');
    const answer = await say('alice', `approve ${id}`);
    expect(answer.kind).toBe('error');
    expect(answer.text).toContain(id);
    expect((await view(id, 'alice')).body.state).toBe('awaitingApproval');
    const audit = await world.app.store.listAudit({ requestId: id });
    expect(audit.some((a) => a.actor === 'alice' && a.outcome === 'refused:self_approval')).toBe(true);

    // Someone who may not see it hears exactly what an id nobody knows gets.
    const stranger = await say('erin', `approve ${id}`);
    const unknown = await say('erin', 'approve RZZZZ');
    expect(stranger.text).toBe(unknown.text.replaceAll('RZZZZ', id));
    expect(stranger.requestId).toBeUndefined();

    // Bob's approve is the button's line; afterwards his view offers no decision again.
    const approved = await say('bob', (await view(id, 'bob')).body.actions[0]!.line);
    expect(approved.kind).not.toBe('error');
    await reaches(id, 'bob', 'done', 60_000);
    expect(await actionsOf(id, 'bob')).toEqual([]);
    // The requester may now revoke it; its line opens a revoke request.
    const revoke = (await view(id, 'alice')).body.actions;
    expect(revoke).toEqual([
      { id: 'revoke', line: 'revoke pod SG from app my-app in my-namespace on cls-sandbox1' },
    ]);
  }, 90_000);

  it('shows each step with its times and the calls behind it, and the list says what kind each request is', async () => {
    const id = await openGrant('my-app');
    await say('bob', `approve ${id}`);
    await reaches(id, 'bob', 'done', 60_000);
    const { body } = await view(id, 'bob');
    const steps = body.steps!;
    const group = steps.find((s) => s.step === 'ensurePodSecurityGroup')!;
    expect(group.outcome).toBe('ok');
    expect(Date.parse(group.endedAt!)).toBeGreaterThanOrEqual(Date.parse(group.startedAt));
    expect(group.durationMs).toBe(Date.parse(group.endedAt!) - Date.parse(group.startedAt));
    expect(group.calls.every((c) => c.step === 'ensurePodSecurityGroup')).toBe(true);
    expect(
      group.calls.some((c) => c.system === 'tencentcloud' && /[0-9a-f-]{16,}/.test(c.cloudRequestId ?? '')),
    ).toBe(true);
    // Bob's approval is a decision of its own, between the plan and the first write.
    const decided = steps.findIndex((s) => s.step === null && s.calls.some((c) => c.actor === 'bob'));
    expect(steps[decided - 1]?.step).toBe('planning');
    expect(steps[decided + 1]?.step).toBe('ensurePodSecurityGroup');
    // Every call is under exactly one step.
    expect(steps.flatMap((s) => s.calls).length).toBe(body.audit!.length);

    await say('alice', 'plan pod SG to app my-app in my-namespace');
    await say('alice', 'revoke pod SG from app my-app in my-namespace');
    const list = (await (await fetch(`${url}/api/requests?as=alice`)).json()) as {
      requests: { verb: string; what: string }[];
    };
    expect(list.requests.slice(0, 3).map((r) => r.verb)).toEqual(['revoke', 'dry run', 'grant']);
    // Carol reads 中文: what was asked is told in her words.
    const carol = (await (await fetch(`${url}/api/requests?as=carol`)).json()) as typeof list;
    expect(carol.requests[0]!.what).toBe('应用 my-app，命名空间 my-namespace，集群 cls-sandbox1');
  }, 120_000);

  it('offers retry and rollback of a grant whose pods lack the group to the people involved, and nothing once it is rolled back', async () => {
    const opened = await say('alice', 'grant pod SG to app legacy-app in my-namespace');
    const id = opened.requestId!;
    await reaches(id, 'alice', 'awaitingApproval', 20_000);
    await say('bob', `approve ${id}`);
    await reaches(id, 'alice', 'needsAttention', 60_000);
    expect(await actionsOf(id, 'alice')).toEqual(['retry', 'rollback', 'revoke']);
    expect(await actionsOf(id, 'bob')).toEqual(['retry', 'rollback']);
    // Dave may request there, so he may open a revoke, but this request is not his to steer.
    expect(await actionsOf(id, 'dave')).toEqual(['revoke']);
    const refused = await say('dave', `rollback ${id}`);
    expect(refused.kind).toBe('error');
    expect((await view(id, 'alice')).body.state).toBe('needsAttention');

    await say('bob', `rollback ${id}`);
    await reaches(id, 'alice', 'rolledBack', 60_000);
    expect(await actionsOf(id, 'alice')).toEqual([]);
    expect(await actionsOf(id, 'bob')).toEqual([]);
  }, 120_000);
});
