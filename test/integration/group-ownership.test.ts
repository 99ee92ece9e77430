import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersDbGroupId } from '../../adapters/tencentcloud/emulator/index.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';
import { clusterId, samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { tccliLineProblems } from '../helpers/tccli-line-problems.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';

/**
 * Issue 14's first finding, replayed: `using` and `allow … to` once reached any group in the
 * account, with only the requester's namespace asked (or nobody, under auto-approve). Now every
 * group a request touches has an owner who signs, and a group nobody owns is never touched.
 */
describe('owners of the security groups a request touches', () => {
  let world: TestWorld;
  const clusterGroup = 'sg-sandbox1';
  let billingDb = '';

  const writes = () =>
    Object.entries(world.emulator.calls()).filter(([action, n]) => cloudWriteActions.has(action) && n > 0);
  const rulesOf = async (id: string) => {
    const set = (await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: id }))
      .SecurityGroupPolicySet!;
    const line = (r: NonNullable<typeof set.Ingress>[number]) =>
      `${r.Protocol} ${r.Port} ${r.SecurityGroupId || r.CidrBlock} ${r.Action}`;
    return { ingress: set.Ingress!.map(line), egress: set.Egress!.map(line) };
  };
  /** Waits for the request to rest in one of `states` (an app with no pods ends in needsAttention). */
  const settle = async (requestId: string, person: string, ...states: string[]) =>
    world.waitFor(person, (m) => m.requestId === requestId && states.includes(m.state ?? ''), 45_000);
  const applied = ['done', 'needsAttention'];

  beforeAll(async () => {
    world = await startTestWorld('group-ownership', {
      policy: {
        ...samplePolicy,
        people: [
          ...samplePolicy.people,
          { id: 'zoe', name: 'Zoe' },
          { id: 'paula', name: 'Paula' },
          { id: 'pat', name: 'Pat' },
        ],
        rules: [
          // zoe's team is trusted: its own grants need nobody.
          {
            clusters: ['*'],
            namespaces: ['auto-ns'],
            requesters: ['zoe'],
            approvers: ['bob'],
            autoApprove: { when: 'always' },
          },
          { clusters: ['*'], namespaces: ['payments'], requesters: ['paula'], approvers: ['pat'] },
          ...samplePolicy.rules,
        ],
      },
    });
    // Another team's database group that nobody named an owner for.
    billingDb = (
      await world.vpc.CreateSecurityGroup({ GroupName: 'billing-db', GroupDescription: 'billing database' })
    ).SecurityGroup!.SecurityGroupId!;
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: billingDb,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'DROP' }],
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('stops an auto-approved request at planning when it would touch groups nobody owns, writing nothing anywhere', async () => {
    const before = { billing: await rulesOf(billingDb), cluster: await rulesOf(clusterGroup) };
    world.emulator.resetCalls();
    const opened = await world.say(
      'zoe',
      `grant pod SG to app auto-app in auto-ns using ${billingDb} allow tcp:22 from 0.0.0.0/0 allow tcp:443 to ${clusterGroup}`,
    );
    const failed = await settle(opened.requestId!, 'zoe', 'failed');
    expect(failed.text).toContain(
      `sgops may not touch billing-db (${billingDb}), tke-worker-security-for-${clusterId} (${clusterGroup})`,
    );
    expect(failed.text).toContain(`securityGroupOwners: [{ id: ${billingDb}, owners: [group:<team>] }]`);
    // Refused before anything was written: nothing to roll back.
    expect(failed.text).toContain(
      `Nothing was changed. Reply \`retry ${opened.requestId}\` once that is fixed.`,
    );
    expect(failed.text).not.toContain('rollback');
    expect(writes()).toEqual([]);
    expect(await rulesOf(billingDb)).toEqual(before.billing);
    expect(await rulesOf(clusterGroup)).toEqual(before.cluster);
    // Nobody approved it, and it never said it was approved.
    const view = await world.app.engine.read(opened.requestId!);
    expect(view!.state).toBe('failed');
    expect((view!.context as { approvals: unknown[] }).approvals).toEqual([]);
  });

  it("does not auto-approve a request that writes into another team's group: its owner and the namespace sign first", async () => {
    const before = await rulesOf(ordersDbGroupId);
    world.emulator.resetCalls();
    const opened = await world.say(
      'zoe',
      `grant pod SG to app auto-app in auto-ns allow tcp:3306 to ${ordersDbGroupId}`,
    );
    const id = opened.requestId!;
    const card = await world.waitFor('erin', (m) => m.requestId === id && m.kind === 'approval');
    // The owner is shown the whole request: the line as asked, the write into her group, and the plan.
    expect(card.text).toContain(
      `Asked: \`grant pod SG to app auto-app in auto-ns on ${clusterId} allow tcp:3306 to ${ordersDbGroupId}\``,
    );
    expect(card.text).toContain(
      `Another team's group orders-db (${ordersDbGroupId}): ingress TCP 3306 from the pod group`,
    );
    expect(card.text).toContain('Changes to make:');
    expect(card.text).toContain('- approvers of auto-ns — Bob (bob): 0 of 1');
    expect(card.text).toContain('- owners of orders-db (group:dba) — Erin (erin): 0 of 1');
    const waiting = (await world.app.engine.read(id))!;
    expect(waiting.state).toBe('awaitingApproval');
    // The write into her group names the pod group still to be made as $POD_SG, and runs as printed once it is set.
    const tccli = (waiting.context as GrantContext).outputs
      .planning!.changes.filter((c) => c.system === 'tencentcloud')
      .map((c) => c.command);
    expect(tccli.filter((line) => line.includes(`--SecurityGroupId ${ordersDbGroupId}`))).toEqual([
      expect.stringContaining('"SecurityGroupId":"\'"$POD_SG"\'"'),
    ]);
    expect(tccli.flatMap((line) => tccliLineProblems(line, { POD_SG: 'sg-pod00001' }))).toEqual([]);
    // It waits for her, so her pending list shows it; someone with no part in it does not see it.
    expect((await world.say('erin', 'requests pending')).text).toContain(id);
    expect((await world.say('dave', 'requests pending')).text).not.toContain(id);

    const erin = await world.say('erin', `approve ${id}`);
    expect(erin.state).toBe('awaitingApproval');
    expect(erin.text).toContain('still waiting for:\n- approvers of auto-ns — Bob (bob): 0 of 1');
    expect(writes()).toEqual([]);
    expect(await rulesOf(ordersDbGroupId)).toEqual(before);

    await world.say('bob', `approve ${id}`);
    await settle(id, 'zoe', ...applied);
    const podGroup = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['sgops-auto-ns-auto-app'] }],
    });
    const podGroupId = podGroup.SecurityGroupSet![0]!.SecurityGroupId!;
    expect((await rulesOf(ordersDbGroupId)).ingress).toEqual([
      before.ingress[0],
      `TCP 3306 ${podGroupId} ACCEPT`,
      ...before.ingress.slice(1),
    ]);
  });

  it("asks the payments approvers, and waits for them, before attaching the payments namespace's pod group to my-namespace's pods", async () => {
    // payments' own grant makes its pod group, tagged with its namespace.
    const own = await world.say('paula', 'grant pod SG to app payments-api in payments');
    await world.waitFor('pat', (m) => m.requestId === own.requestId && m.kind === 'approval');
    await world.say('pat', `approve ${own.requestId}`);
    await settle(own.requestId!, 'paula', ...applied);
    const paymentsGroup = (
      await world.vpc.DescribeSecurityGroups({
        Filters: [{ Name: 'security-group-name', Values: ['sgops-payments-payments-api'] }],
      })
    ).SecurityGroupSet![0]!;
    expect(paymentsGroup.TagSet).toContainEqual({ Key: 'sgops/namespace', Value: 'payments' });
    const before = await rulesOf(paymentsGroup.SecurityGroupId!);
    const paymentsPods = await world.kube.core.listNamespacedPod({ namespace: 'payments' });

    world.emulator.resetCalls();
    const opened = await world.say(
      'alice',
      `grant pod SG to app my-app in my-namespace using ${paymentsGroup.SecurityGroupId}`,
    );
    const id = opened.requestId!;
    const card = await world.waitFor('pat', (m) => m.requestId === id && m.kind === 'approval');
    expect(card.text).toContain(
      `Another team's group sgops-payments-payments-api (${paymentsGroup.SecurityGroupId}): attached to the pods`,
    );
    expect(card.text).toContain(`- approvers of payments on ${clusterId} — Pat (pat): 0 of 1`);

    const bob = await world.say('bob', `approve ${id}`);
    expect(bob.state).toBe('awaitingApproval');
    expect(bob.text).toContain(
      `still waiting for:\n- approvers of payments on ${clusterId} — Pat (pat): 0 of 1`,
    );
    expect(writes()).toEqual([]);
    expect(await rulesOf(paymentsGroup.SecurityGroupId!)).toEqual(before);
    expect((await world.kube.core.listNamespacedPod({ namespace: 'payments' })).items).toEqual(
      paymentsPods.items,
    );
    // Someone who signs for neither set is refused.
    const dave = await world.say('dave', `approve ${id}`);
    expect(dave.text).toContain(`dave is not an approver for ${id}`);

    await world.say('pat', `approve ${id}`);
    await settle(id, 'alice', 'done');
    const status = await world.say('pat', `status request ${id}`);
    expect(status.text).toContain(`- approvers of payments on ${clusterId} — Pat (pat): 1 of 1`);
  });
});
