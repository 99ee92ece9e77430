import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersDbGroupId } from '../../adapters/tencentcloud/emulator/index.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';

/** The rest of the command language, as people use it: dry runs, lists, cancelling, status, audit, and extra rules. */
describe('the chat commands around a grant', () => {
  let world: TestWorld;
  const writes = () =>
    Object.entries(world.emulator.calls()).filter(([a, n]) => cloudWriteActions.has(a) && n > 0);

  beforeAll(async () => {
    world = await startTestWorld('chat-commands');
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('plans without requesting anything: `plan …` shows the plan and changes nothing', async () => {
    world.emulator.resetCalls();
    const opened = await world.say('alice', 'plan pod SG to app my-app in my-namespace');
    const plan = await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'plan');
    expect(plan.state).toBe('planned');
    expect(plan.text).toContain('a dry run');
    expect(plan.text).toContain('tccli vpc CreateSecurityGroup');
    expect(writes()).toEqual([]);
    expect(
      await world.waitFor('bob', (m) => m.requestId === opened.requestId, 500).catch(() => null),
    ).toBeNull();
  });

  it('lists my requests and the pending ones', async () => {
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'plan');
    const mine = await world.say('alice', 'requests mine');
    expect(mine.text).toContain('Your requests');
    expect(mine.text).toContain(`${opened.requestId} grant app my-app`);
    const pending = await world.say('bob', 'requests pending');
    expect(pending.text).toContain(
      `${opened.requestId} grant app my-app in my-namespace on cls-sandbox1 · awaitingApproval`,
    );

    // Cancelling before anything was written: fine, and nothing is written.
    world.emulator.resetCalls();
    const cancelled = await world.say('alice', `cancel ${opened.requestId}`);
    expect(cancelled.state).toBe('cancelled');
    expect(writes()).toEqual([]);
    const dave = await world.say('dave', `cancel ${opened.requestId}`);
    expect(dave.text).toContain(`Only the requester or an approver of ${opened.requestId}`);
  });

  it('admits the pod group into a database group on 3306, ahead of its DROP rule, and refuses to cancel once done', async () => {
    // The seeded orders-db group (another team's): it admits its app servers, then drops the rest.
    const dbId = ordersDbGroupId;
    const opened = await world.say(
      'alice',
      `grant pod SG to app my-app in my-namespace allow tcp:3306 to ${dbId} because orders need the DB`,
    );
    const plan = await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'plan');
    expect(plan.text).toContain(`${dbId} admits the pod group on TCP 3306`);
    expect(plan.text).toContain(
      `Another team's group orders-db (${dbId}): ingress TCP 3306 from the pod group, ahead of any DROP — needs owners of orders-db (group:dba)`,
    );
    // The namespace's approver alone leaves it waiting for the database's owners.
    const bob = await world.say('bob', `approve ${opened.requestId}`);
    expect(bob.state).toBe('awaitingApproval');
    expect(bob.text).toContain('still waiting for:\n- owners of orders-db (group:dba) — Erin (erin): 0 of 1');
    await world.app.console.say('erin', `approve ${opened.requestId}`);
    const end = await world.waitFor(
      'alice',
      (m) => m.requestId === opened.requestId && m.kind === 'result',
      45_000,
    );
    expect(end.state).toBe('done');

    const podGroup = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['sgops-my-namespace-my-app'] }],
    });
    const podGroupId = podGroup.SecurityGroupSet![0]!.SecurityGroupId!;
    const rules = await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: dbId });
    const ingress = rules.SecurityGroupPolicySet!.Ingress!.map((r) => [
      r.PolicyIndex,
      r.Protocol,
      r.Port,
      r.SecurityGroupId || r.CidrBlock,
      r.Action,
    ]);
    expect(ingress).toEqual([
      [0, 'TCP', '3306', '10.0.0.0/24', 'ACCEPT'],
      [1, 'TCP', '3306', podGroupId, 'ACCEPT'],
      [2, 'ALL', 'ALL', '0.0.0.0/0', 'DROP'],
    ]);

    const late = await world.say('alice', `cancel ${opened.requestId}`);
    expect(late.text).toContain('can no longer be cancelled');
  });

  it('answers `status app` with the policy, the pods on their nodes with their groups, and `audit` with the trail', async () => {
    const status = await world.say('alice', 'status app my-app in my-namespace');
    expect(status.text).toContain('policy: sgops-my-app → sg-');
    expect(status.text).toMatch(
      /my-deployment-\S+ · Running, Ready · eklet-subnet-\S+ \(super node\) · groups: sg-/,
    );

    const legacy = await world.say('alice', 'status app legacy-app in my-namespace');
    expect(legacy.text).toContain('(normal node) · groups: -');

    const requests = await world.app.store.listRequests({ requester: 'alice', states: ['done'] });
    const audit = await world.say('bob', `audit ${requests[0]!.id}`);
    expect(audit.requestId).toBe(requests[0]!.id);
    expect(audit.text).toContain('CreateSecurityGroupPolicies');
    expect(audit.text).toContain('bob');
  });

  it('answers in Chinese to a Chinese line, and says plainly, before opening anything, that a service account does not exist', async () => {
    const zh = await world.say('alice', '状态 请求 RZZZZ');
    expect(zh.text).toContain('没有请求 RZZZZ');
    const sa = await world.say('alice', 'grant pod SG to serviceaccount payments in my-namespace');
    expect(sa.kind).toBe('error');
    expect(sa.requestId).toBeUndefined();
    expect(sa.text).toContain(
      'There is no ServiceAccount payments in my-namespace on cls-sandbox1, so nothing was requested.',
    );
    const saZh = await world.say('alice', '授权 Pod 安全组 给 服务账号 payments 在 my-namespace');
    expect(saZh.text).toContain(
      '集群 cls-sandbox1 的命名空间 my-namespace 中没有服务账号 payments，因此没有发起任何请求。',
    );
  });
});
