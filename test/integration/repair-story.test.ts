/**
 * `repair <id>` against the stand-ins, replaying the seed's steps 7–9: a grant done, the cluster
 * group's DNS rules deleted through the SDK (seed step 8), the drift watch tells it, alice asks for
 * a repair, bob signs it off, and exactly those two rules are written back — nothing else — so the
 * next sweep tells everyone the grant is as approved again. A rule added by hand is listed for a
 * person and left in place; ids that are not a grant in force, and people not involved, are refused.
 */
import { grantApproved } from '../helpers/chat-requests.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import { ordersDbGroupId } from '../../adapters/tencentcloud/emulator/index.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import type { RepairContext } from '../../workflows/repair/types.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

describe('repair of a drifted grant', () => {
  let world: TestWorld;
  let grantId = '';
  let podGroupId = '';
  const seen: ConsoleMessage[] = [];

  beforeAll(async () => {
    world = await startTestWorld('repair-story');
    world.app.console.subscribe((m) => seen.push(m));
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    grantId = opened.requestId!;
    await stateBecomes(world, grantId, ['awaitingApproval']);
    await world.app.console.say('bob', `approve ${grantId}`);
    expect(await stateBecomes(world, grantId, ['done', 'needsAttention', 'failed'])).toBe('done');
    const view = await world.app.engine.read(grantId);
    podGroupId = (view!.context as GrantContext).outputs.ensurePodSecurityGroup!.podGroupId;
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  const sweep = () => world.app.driftWatch.sweep();
  const rulesOf = async (groupId: string) =>
    (await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: groupId })).SecurityGroupPolicySet!
      .Ingress!;
  const dnsRules = async () =>
    (await rulesOf('sg-sandbox1')).filter((r) => r.Port === '53' && r.SecurityGroupId === podGroupId);
  const deleteDns = async (protocols: string[]) => {
    const dns = (await dnsRules()).filter((r) => protocols.includes(r.Protocol!));
    await world.vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: { Ingress: dns.map((r) => ({ PolicyIndex: r.PolicyIndex })) },
    });
  };
  const repairOf = async (id: string) => (await world.app.engine.read(id))!.context as RepairContext;
  const toldTo = (person: string, id: string, pattern: RegExp) =>
    seen.filter((m) => m.conversationId === person && m.requestId === id && pattern.test(m.text));

  it('writes back exactly the two DNS rules the seed’s step 8 deleted, after bob signs it off', async () => {
    await deleteDns(['TCP', 'UDP']);
    expect(await dnsRules()).toHaveLength(0);
    expect(await sweep()).toMatchObject({ drifted: 1, told: 1 });

    const asked = await world.say('alice', `repair ${grantId}`);
    const repairId = asked.requestId!;
    expect(repairId).not.toBe(grantId);
    expect(asked.text).toContain(`repair of ${grantId}: grant pod SG to app my-app in my-namespace`);
    expect(await stateBecomes(world, repairId, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
    const plan = (await repairOf(repairId)).outputs.planning!;
    expect(plan.restore.rules).toEqual([
      { groupId: 'sg-sandbox1', direction: 'ingress', rules: expect.any(Array) },
    ]);
    expect(plan.restore.rules[0]!.rules.map((r) => r.protocol).sort()).toEqual(['TCP', 'UDP']);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]!.command).toMatch(/^tccli vpc CreateSecurityGroupPolicies .*sg-sandbox1/);
    // bob is asked, with the plan, in English; carol in 中文.
    await expect.poll(() => toldTo('bob', repairId, /approve .*deny/).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => toldTo('carol', repairId, /恢复/).length, { timeout: 10_000 }).toBe(1);

    world.emulator.resetCalls();
    world.simulator.resetCalls();
    await world.app.console.say('bob', `approve ${repairId}`);
    expect(await stateBecomes(world, repairId, ['done', 'failed'])).toBe('done');
    // Its status reads like any request's (a repair's verification has a shape of its own).
    const status = await world.say('alice', `status request ${repairId}`);
    expect(status.kind).toBe('reply');
    expect(status.text).toContain(`${repairId} (repair of ${grantId}`);
    const writes = Object.entries(world.emulator.calls()).filter(([action]) => cloudWriteActions.has(action));
    expect(writes).toEqual([['CreateSecurityGroupPolicies', 1]]);
    const kubeWrites = Object.keys(world.simulator.calls()).filter((a) =>
      /^(create|update|patch|delete) /.test(a),
    );
    expect(kubeWrites).toEqual([]);
    const back = await dnsRules();
    expect(back.map((r) => r.Protocol).sort()).toEqual(['TCP', 'UDP']);
    expect(back.every((r) => r.PolicyDescription === `sgops ${grantId}: DNS from pods`)).toBe(true);
    await expect
      .poll(() => toldTo('alice', repairId, /is done: put back .*53/).length, { timeout: 10_000 })
      .toBe(1);

    expect(await sweep()).toMatchObject({ drifted: 0, told: 1 });
    await expect
      .poll(() => toldTo('alice', grantId, /matches what was approved again/).length, { timeout: 10_000 })
      .toBe(1);
  }, 90_000);

  it('lists a rule added by hand to the pod group as left in place, and leaves it there', async () => {
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: podGroupId,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'TCP', Port: '22', CidrBlock: '10.9.0.0/16', Action: 'ACCEPT' }],
      },
    });
    // Only that rule differs: nothing a repair may write, so it ends at once and says why.
    const first = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(await stateBecomes(world, first, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'nothingToRepair',
    );
    await expect
      .poll(
        () =>
          toldTo('alice', first, /Nothing to repair.*\n.*TCP 22 from 10\.9\.0\.0\/16.*left in place/s).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(1);

    await deleteDns(['UDP']);
    const second = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(await stateBecomes(world, second, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
    const plan = (await repairOf(second)).outputs.planning!;
    expect(plan.restore.leftInPlace.map((i) => i.rule.port)).toEqual(['22']);
    expect(plan.warnings.some((w) => typeof w !== 'string' && /left in place/.test(w.en))).toBe(true);
    world.emulator.resetCalls();
    await world.app.console.say('carol', `批准 ${second}`);
    expect(await stateBecomes(world, second, ['done', 'failed'])).toBe('done');
    expect(Object.entries(world.emulator.calls()).filter(([a]) => cloudWriteActions.has(a))).toEqual([
      ['CreateSecurityGroupPolicies', 1],
    ]);
    expect((await rulesOf(podGroupId)).filter((r) => r.Port === '22')).toHaveLength(1);
    expect((await dnsRules()).map((r) => r.Protocol).sort()).toEqual(['TCP', 'UDP']);
  }, 90_000);

  it('re-applies a deleted policy and restarts only the workload whose new pod came up without the group', async () => {
    const policy = {
      group: 'vpcresources.tke.cloud.tencent.com',
      version: 'v1beta1',
      namespace: 'my-namespace',
      plural: 'securitygrouppolicies',
      name: 'sgops-my-app',
    };
    await world.kube.custom.deleteNamespacedCustomObject(policy);
    // A scale-up while the policy is gone: the new pod comes up without the group.
    const deployment = await world.kube.apps.readNamespacedDeployment({
      name: 'my-deployment',
      namespace: 'my-namespace',
    });
    const before = deployment.spec!.replicas!;
    deployment.spec!.replicas = before + 1;
    await world.kube.apps.replaceNamespacedDeployment({
      name: 'my-deployment',
      namespace: 'my-namespace',
      body: deployment,
    });
    await world.simulator.settle();
    const running = async () =>
      (
        await world.kube.core.listNamespacedPod({ namespace: 'my-namespace', labelSelector: 'app=my-app' })
      ).items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp).length;
    await expect.poll(running, { timeout: 20_000 }).toBe(before + 1);
    const repairId = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(await stateBecomes(world, repairId, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
    const plan = (await repairOf(repairId)).outputs.planning!;
    expect(plan.restore.applyPolicy).toBe(true);
    expect(plan.restore.recreatePods).toHaveLength(1);
    expect(plan.restore.rules).toEqual([]);
    world.emulator.resetCalls();
    world.simulator.resetCalls();
    await world.app.console.say('bob', `approve ${repairId}`);
    expect(await stateBecomes(world, repairId, ['done', 'failed'])).toBe('done');
    const repair = await repairOf(repairId);
    expect(repair.outputs.reapplyPolicy).toEqual({ policy: 'created', labelled: false });
    expect(repair.outputs.recreatePods!.restarted).toEqual(['Deployment/my-deployment']);
    expect(Object.entries(world.emulator.calls()).filter(([a]) => cloudWriteActions.has(a))).toEqual([]);
    const kubeWrites = Object.keys(world.simulator.calls())
      .filter((a) => /^(create|update|patch|delete) /.test(a))
      .sort();
    expect(kubeWrites).toEqual(['create securitygrouppolicies', 'patch deployments']);
    expect(await world.kube.custom.getNamespacedCustomObject(policy)).toBeTruthy();
  }, 90_000);

  it('refuses an unknown id, a request that is not a grant, and a person not involved', async () => {
    expect((await world.say('alice', 'repair RZZZ9')).text).toContain('There is no request RZZZ9');
    const repairs = seen.filter((m) => m.requestId && m.requestId !== grantId && /repair of/.test(m.text));
    const repairId = repairs[0]!.requestId!;
    expect((await world.say('alice', `repair ${repairId}`)).text).toBe(
      `${repairId} is a repair, not a grant: only a grant in force can be repaired.`,
    );
    expect((await world.say('carol', `修复 ${repairId}`)).text).toBe(
      `${repairId} 是修复请求，不是授权：只有生效中的授权可以修复。`,
    );
    // dave may ask for access in the namespace, but this grant is neither his nor his to approve.
    expect((await world.say('dave', `repair ${grantId}`)).text).toBe(
      `Only the requester or an approver of ${grantId} may do that.`,
    );
  });

  it('refuses a grant no longer in force', async () => {
    const revoke = await world.say('alice', 'revoke pod SG from app my-app in my-namespace');
    expect(await stateBecomes(world, revoke.requestId!, ['done', 'failed'])).toBe('done');
    // The grant's row rests in done, but the access is no longer its own.
    expect((await world.say('alice', `repair ${grantId}`)).text).toBe(
      `${grantId} is revoked, not in force: only a grant that is done or active can be repaired.`,
    );
  });
});

describe("repair of a rule in another team's group", () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await startTestWorld('repair-owners');
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('waits for that group’s owners as the grant did, then writes the rule back', async () => {
    const grantId = (
      await grantApproved(
        world,
        `grant pod SG to app my-app in my-namespace allow tcp:3306 to ${ordersDbGroupId}`,
        60_000,
        ['bob', 'erin'],
      )
    ).requestId;
    expect(await stateBecomes(world, grantId, ['done', 'needsAttention', 'failed'])).toBe('done');
    const podGroupId = ((await world.app.engine.read(grantId))!.context as GrantContext).outputs
      .ensurePodSecurityGroup!.podGroupId;
    // The rule the grant wrote: from its pod group (the seed's database admits others too).
    const dbRule = async () =>
      (
        await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: ordersDbGroupId })
      ).SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === '3306' && r.SecurityGroupId === podGroupId);
    const [rule] = await dbRule();
    await world.vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: ordersDbGroupId,
      SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: rule!.PolicyIndex }] },
    });

    const repairId = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(await stateBecomes(world, repairId, ['awaitingApproval', 'nothingToRepair', 'failed'])).toBe(
      'awaitingApproval',
    );
    const signoffs = ((await world.app.engine.read(repairId))!.context as RepairContext).outputs.planning!
      .signoffs;
    expect(signoffs.map((s) => s.key)).toEqual(['owners:name=orders-db']);
    expect((await world.say('bob', `approve ${repairId}`)).text).toContain('still waiting for');
    expect((await world.app.engine.read(repairId))!.state).toBe('awaitingApproval');
    await world.say('erin', `approve ${repairId}`);
    expect(await stateBecomes(world, repairId, ['done', 'failed'])).toBe('done');
    expect(await dbRule()).toHaveLength(1);
  }, 90_000);
});
