/**
 * Read scope (issue 14): a namespace's pods, requests, plans and audit trails are shown only to
 * those who may request or approve there, and to platform-wide approvers; a requester always sees
 * her own request. In chat and over the console API alike, a request out of sight reads as an
 * unknown id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestDetail, RequestSummary } from '../../src/console/request-views.ts';
import type { HttpServer } from '../../src/http/start-http-server.ts';
import { startConsoleServer } from '../helpers/console-server.ts';
import { deploySuperNodeApps } from '../helpers/deploy-super-node-apps.ts';
import { serverSentEvents } from '../helpers/server-sent-events.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const tokens = {
  alice: 'alice-console-token-0123456789abcdef',
  paul: 'paul-console-token-0123456789abcdefg',
  root: 'root-console-token-0123456789abcdefg',
};

const policy = {
  people: [
    ...samplePolicy.people,
    { id: 'pia', name: 'Pia' },
    { id: 'paul', name: 'Paul' },
    { id: 'root', name: 'Root' },
  ],
  groups: samplePolicy.groups,
  rules: [
    ...samplePolicy.rules,
    { clusters: ['*'], namespaces: ['payments'], requesters: ['pia'], approvers: ['paul'], quorum: 1 },
    // Approves anything nothing above decides, so sees every namespace of every cluster.
    { clusters: ['*'], namespaces: ['*'], approvers: ['root'], quorum: 1 },
  ],
};

describe('who sees a request', () => {
  let world: TestWorld;
  let url = '';
  let sandbox: HttpServer;
  let payments = '';
  let mine = '';

  const kubeCalls = async () =>
    (await (await fetch(`${world.kubeUrl}/_admin/calls`)).json()) as Record<string, number>;
  const resetKubeCalls = () => fetch(`${world.kubeUrl}/_admin/calls/reset`, { method: 'POST' });
  const as = (person: keyof typeof tokens) => ({ headers: { authorization: `Bearer ${tokens[person]}` } });
  /** The ids `GET /api/requests` lists at `address`. */
  const listed = async (address: string, init: RequestInit = {}) =>
    ((await (await fetch(address, init)).json()) as { requests: RequestSummary[] }).requests.map((r) => r.id);
  /** What a reply to `line` says with the id of an unknown request in place of `id`. */
  const asIfUnknown = async (person: string, line: string, id: string) =>
    (await world.say(person, line.replace(id, 'RZZZZ'))).text.replace('RZZZZ', id);

  beforeAll(async () => {
    world = await startTestWorld('read-scope', {
      policy,
      http: { host: '127.0.0.1', port: 0 },
      console: {
        mode: 'token',
        tokens: Object.entries(tokens).map(([person, token]) => ({ token, person })),
      },
    });
    url = world.app.httpUrl!;
    sandbox = await startConsoleServer(world.app, policy.people);
    await deploySuperNodeApps(world.simulator, [{ app: 'payments-api', namespace: 'payments' }]);
    const asked = await world.say('pia', 'grant pod SG to app payments-api in payments');
    payments = asked.requestId!;
    await world.waitFor('pia', (m) => m.requestId === payments && m.state === 'awaitingApproval');
    const planned = await world.say('alice', 'plan pod SG to app my-app in my-namespace');
    mine = planned.requestId!;
    await world.waitFor('alice', (m) => m.requestId === mine && m.kind === 'plan');
  }, 90_000);

  afterAll(async () => {
    await sandbox?.close();
    await world?.stop();
  });

  it('answers a person of my-namespace about a payments request exactly as about an unknown id', async () => {
    for (const line of [`status request ${payments}`, `audit ${payments}`, `cancel ${payments}`]) {
      const reply = await world.say('alice', line);
      expect(reply.kind, line).toBe('error');
      expect(reply.text, line).toBe(
        `There is no request ${payments}; check the id (e.g. \`status request R7K2\`).`,
      );
      expect(reply.text, line).toBe(await asIfUnknown('alice', line, payments));
      expect(reply.requestId, line).toBeUndefined();
      expect(reply.state, line).toBeUndefined();
    }
    const zh = await world.say('carol', `审计 ${payments}`);
    expect(zh.text).toBe(`没有请求 ${payments}，请检查编号（例如 \`状态 请求 R7K2\`）。`);
  });

  it('leaves the payments request out of her lists, and keeps her own in them', async () => {
    const pending = await world.say('alice', 'requests pending');
    expect(pending.text).not.toContain(payments);
    const all = await world.say('alice', 'requests all');
    expect(all.text).toContain(mine);
    expect(all.text).not.toContain(payments);
    expect(all.text).not.toContain('payments');
    // bob approves my-namespace only: the payments request is not his to see either.
    expect((await world.say('bob', 'requests pending')).text).not.toContain(payments);
  });

  it('refuses `status app` in payments, in her language, saying whom to ask, before asking the cluster', async () => {
    await resetKubeCalls();
    const reply = await world.say('alice', 'status app payments-api in payments');
    expect(reply.kind).toBe('error');
    expect(reply.text).toBe(
      'You may see only the namespaces you may request or approve for, and payments on cls-sandbox1 is not one of them. To see it, ask an sgops operator to add you to its rule in the policy file.',
    );
    const zh = await world.say('carol', '状态 应用 payments-api 在 payments');
    expect(zh.text).toBe(
      '您只能查看自己可申请或审批的命名空间，集群 cls-sandbox1 的命名空间 payments 不在其中。如需查看，请联系 sgops 管理员在策略文件中把您加入该命名空间的规则。',
    );
    expect(await kubeCalls()).toEqual({});
  });

  it.each(['paul', 'root'])(
    'shows the payments request, its trail, its pods and its place in the lists to %s',
    async (person) => {
      const status = await world.say(person, `status request ${payments}`);
      expect(status.text.split('\n')[0]).toBe(
        `${payments} (grant pod SG to app payments-api in payments on cls-sandbox1) is awaitingApproval.`,
      );
      expect(status.text).toContain('Sign-offs needed:');
      const audit = await world.say(person, `audit ${payments}`);
      expect(audit.requestId).toBe(payments);
      expect(audit.text).toContain('DescribeClusters');
      expect((await world.say(person, 'requests pending')).text).toContain(
        `${payments} grant app payments-api in payments on cls-sandbox1 · awaitingApproval · pia`,
      );
      const app = await world.say(person, 'status app payments-api in payments');
      expect(app.kind).toBe('reply');
      expect(app.text).toMatch(/- payments-api-\S+ · Running, Ready · \S+ \(super node\)/);
      expect(app.text).toContain(`open requests: ${payments} (awaitingApproval)`);
    },
  );

  it('shows her own request to its requester', async () => {
    expect((await world.say('pia', `status request ${payments}`)).text).toContain('is awaitingApproval');
    expect((await world.say('pia', 'requests mine')).text).toContain(payments);
  });

  it('over the console API, lists and shows to a token only what its person may see; the rest is 404', async () => {
    const hers = await listed(`${url}/api/requests`, as('alice'));
    expect(hers).toContain(mine);
    expect(hers).not.toContain(payments);
    for (const path of [`/api/requests/${payments}`, `/api/requests/${payments}/view`]) {
      const res = await fetch(`${url}${path}`, as('alice'));
      expect(res.status, path).toBe(404);
      const unknown = await fetch(`${url}${path.replace(payments, 'RZZZZ')}`, as('alice'));
      expect(await res.text(), path).toBe((await unknown.text()).replace('RZZZZ', payments));
    }

    for (const person of ['paul', 'root'] as const) {
      expect(await listed(`${url}/api/requests`, as(person)), person).toContain(payments);
      const raw = await fetch(`${url}/api/requests/${payments}`, as(person));
      expect(raw.status, person).toBe(200);
      const view = (await (
        await fetch(`${url}/api/requests/${payments}/view`, as(person))
      ).json()) as RequestDetail;
      expect(view.state, person).toBe('awaitingApproval');
      expect(
        view.audit?.some((a) => a.action === 'DescribeClusters'),
        person,
      ).toBe(true);
    }
  });

  it('keeps the live stream to what the token’s person may see', async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 15_000);
    const seen = new Map<string, unknown>();
    try {
      const res = await fetch(`${url}/api/events?request=${payments}`, {
        ...as('alice'),
        signal: controller.signal,
      });
      for await (const { event, data } of serverSentEvents(res)) {
        seen.set(event, data);
        if (seen.has('requests') && seen.has('request')) break;
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    const ids = (seen.get('requests') as { requests: RequestSummary[] }).requests.map((r) => r.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(payments);
    expect(seen.get('request')).toEqual({ missing: payments });
  });

  it('in the sandbox, shows the person named by `as` only what she may see', async () => {
    const base = sandbox.url;
    const hers = await listed(`${base}/api/requests?as=alice`);
    expect(hers).toContain(mine);
    expect(hers).not.toContain(payments);
    expect(await listed(`${base}/api/requests?as=paul`)).toContain(payments);
    // Naming nobody shows everything: in the sandbox anyone may name anyone.
    expect(await listed(`${base}/api/requests`)).toContain(payments);
    expect((await fetch(`${base}/api/requests/${payments}/view?as=alice`)).status).toBe(404);
    expect((await fetch(`${base}/api/requests/${payments}?as=alice`)).status).toBe(404);
    expect((await fetch(`${base}/api/requests/${payments}/view?as=paul`)).status).toBe(200);
  });
});
