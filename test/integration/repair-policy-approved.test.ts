/**
 * `autoApproveRepairs: true` on the namespace's rule: a repair that only restores what the grant's
 * own writes made runs without a person's sign-off, and the audit trail records that the policy
 * approved it; a repair that writes back into another team's group still waits for its owners.
 */
import { grantApproved } from '../helpers/chat-requests.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersDbGroupId } from '../../adapters/tencentcloud/emulator/index.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

describe('a namespace whose policy approves restore-only repairs', () => {
  let world: TestWorld;
  let grantId = '';
  let podGroupId = '';

  beforeAll(async () => {
    world = await startTestWorld('repair-policy-approved', {
      policy: {
        ...samplePolicy,
        rules: samplePolicy.rules.map((rule) => ({ ...rule, autoApproveRepairs: true })),
      },
    });
    grantId = (
      await grantApproved(
        world,
        `grant pod SG to app my-app in my-namespace allow tcp:3306 to ${ordersDbGroupId}`,
        60_000,
        ['bob', 'erin'],
      )
    ).requestId;
    expect(await stateBecomes(world, grantId, ['done', 'needsAttention', 'failed'])).toBe('done');
    podGroupId = ((await world.app.engine.read(grantId))!.context as GrantContext).outputs
      .ensurePodSecurityGroup!.podGroupId;
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  const rulesFrom = async (groupId: string, port: string) =>
    (
      await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: groupId })
    ).SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === port && r.SecurityGroupId === podGroupId);
  const deleteRules = async (groupId: string, port: string) =>
    world.vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: groupId,
      SecurityGroupPolicySet: {
        Ingress: (await rulesFrom(groupId, port)).map((r) => ({ PolicyIndex: r.PolicyIndex })),
      },
    });

  it('puts the DNS rules back without a sign-off, and the audit says the policy approved it', async () => {
    await deleteRules('sg-sandbox1', '53');
    world.emulator.resetCalls();
    const asked = await world.say('alice', `repair ${grantId}`);
    const repairId = asked.requestId!;
    expect(await stateBecomes(world, repairId, ['done', 'awaitingApproval', 'failed'])).toBe('done');
    expect(Object.entries(world.emulator.calls()).filter(([a]) => cloudWriteActions.has(a))).toEqual([
      ['CreateSecurityGroupPolicies', 1],
    ]);
    expect((await rulesFrom('sg-sandbox1', '53')).map((r) => r.Protocol).sort()).toEqual(['TCP', 'UDP']);
    const view = (await world.app.engine.read(repairId))!;
    expect(view.context).toMatchObject({ approvals: [], decision: { by: 'policy' } });

    const decisions = (await world.app.store.listAudit({ requestId: repairId })).filter(
      (row) => row.kind === 'decision',
    );
    expect(decisions.map((d) => [d.actor, d.action, d.outcome])).toEqual([
      ['alice', 'repair', 'accepted'],
      ['sgops', 'approve', 'approved:policy'],
    ]);
    expect(decisions[1]!.details).toMatchObject({
      option: 'autoApproveRepairs',
      restoreOnly: true,
      grantRequestId: grantId,
    });
    const told = await world.waitFor(
      'alice',
      (m) => m.requestId === repairId && /approved by policy/.test(m.text),
    );
    expect(told.text).toContain(`it only restores what grant ${grantId} made`);
    const zh = await world.waitFor('carol', (m) => m.requestId === repairId && /自动批准/.test(m.text));
    expect(zh.text).toContain(`只恢复授权 ${grantId} 所做的变更`);
  }, 60_000);

  it('still waits for the owners of orders-db when the rule goes back into their group', async () => {
    await deleteRules(ordersDbGroupId, '3306');
    const repairId = (await world.say('alice', `repair ${grantId}`)).requestId!;
    expect(await stateBecomes(world, repairId, ['awaitingApproval', 'done', 'failed'])).toBe(
      'awaitingApproval',
    );
    await world.say('bob', `approve ${repairId}`);
    expect((await world.app.engine.read(repairId))!.state).toBe('awaitingApproval');
    await world.say('erin', `approve ${repairId}`);
    expect(await stateBecomes(world, repairId, ['done', 'failed'])).toBe('done');
    expect(await rulesFrom(ordersDbGroupId, '3306')).toHaveLength(1);
    const decisions = (await world.app.store.listAudit({ requestId: repairId })).filter(
      (row) => row.kind === 'decision' && row.actor === 'sgops',
    );
    expect(decisions).toEqual([]);
  }, 60_000);
});
