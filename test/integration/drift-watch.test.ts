/**
 * The drift watch against the stand-ins: a grant done, then the world changed by hand the way
 * people change it — the seed's step 8 (the cluster group's DNS rules deleted through the SDK), a
 * rule added to the pod group, the policy deleted with client-node — and each sweep tells the
 * requester and the approvers, in their language, once per change and once when it is put right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

describe('the drift watch', () => {
  let world: TestWorld;
  let requestId = '';
  let podGroupId = '';
  const seen: ConsoleMessage[] = [];
  const drift = (person: string) =>
    seen.filter(
      (m) =>
        m.conversationId === person &&
        m.requestId === requestId &&
        /matches what was approved|批准时的状态/.test(m.text),
    );

  beforeAll(async () => {
    world = await startTestWorld('drift-watch', { http: { host: '127.0.0.1', port: 0 } });
    world.app.console.subscribe((m) => seen.push(m));
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    requestId = opened.requestId!;
    await stateBecomes(world, requestId, ['awaitingApproval']);
    await world.app.console.say('bob', `approve ${requestId}`);
    expect(await stateBecomes(world, requestId, ['done', 'needsAttention', 'failed'])).toBe('done');
    const view = await world.app.engine.read(requestId);
    podGroupId = (view!.context as GrantContext).outputs.ensurePodSecurityGroup!.podGroupId;
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  const sweep = () => world.app.driftWatch.sweep();
  const clusterRules = async () =>
    (await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: 'sg-sandbox1' }))
      .SecurityGroupPolicySet!;
  const told = async (person: string, count: number) => {
    await expect.poll(() => drift(person).length, { timeout: 10_000 }).toBe(count);
    return drift(person).at(-1)!;
  };

  it('finds nothing to tell right after the grant, reading each group once', async () => {
    world.emulator.resetCalls();
    const summary = await sweep();
    expect(summary).toMatchObject({ grants: 1, drifted: 0, told: 0, failed: 0 });
    // The pod group and the cluster group: one read each.
    expect(world.emulator.calls()).toEqual({ DescribeSecurityGroupPolicies: 2 });
    expect(drift('alice')).toEqual([]);
  });

  it('tells alice and bob which two DNS rules the seed’s step 8 deleted, and carol in 中文, once', async () => {
    const dns = (await clusterRules()).Ingress!.filter(
      (r) => r.Port === '53' && r.SecurityGroupId === podGroupId,
    );
    expect(dns).toHaveLength(2);
    await world.vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: { Ingress: dns.map((r) => ({ PolicyIndex: r.PolicyIndex })) },
    });
    expect(await sweep()).toMatchObject({ drifted: 1, told: 1 });
    for (const person of ['alice', 'bob']) {
      const message = await told(person, 1);
      expect(message.text).toContain(
        `${requestId} (grant pod SG to app my-app in my-namespace on cls-sandbox1)`,
      );
      expect(message.text).toMatch(/DNS rule UDP 53 from sg-\w+ .*sg-sandbox1/);
      expect(message.text).toMatch(/DNS rule TCP 53 from sg-\w+ .*sg-sandbox1/);
    }
    const carols = await told('carol', 1);
    expect(carols.text).toContain('与批准时的状态不一致');
    expect(carols.text).not.toMatch(/missing|approved/);

    expect(await sweep()).toMatchObject({ drifted: 1, told: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(drift('alice')).toHaveLength(1);
  });

  it('tells again when more drifts: a rule added by hand to the pod group, and the policy deleted', async () => {
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: podGroupId,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'TCP', Port: '22', CidrBlock: '10.9.0.0/16', Action: 'ACCEPT' }],
      },
    });
    await world.kube.custom.deleteNamespacedCustomObject({
      group: 'vpcresources.tke.cloud.tencent.com',
      version: 'v1beta1',
      namespace: 'my-namespace',
      plural: 'securitygrouppolicies',
      name: 'sgops-my-app',
    });
    expect(await sweep()).toMatchObject({ drifted: 1, told: 1 });
    const message = await told('alice', 2);
    expect(message.text).toContain('an ingress rule TCP 22 from 10.9.0.0/16 that sgops did not write');
    expect(message.text).toContain('sgops-my-app');
    const context = (await world.app.engine.read(requestId))!.context as GrantContext;
    expect(context.drift!.notes.length).toBeGreaterThanOrEqual(4);
  });

  it('says once that all is as approved again when the world is put back, and nothing after', async () => {
    const view = (await world.app.engine.read(requestId))!.context as GrantContext;
    const context = view;
    // Put back by hand what the grant made: the DNS rules, the policy; take the extra rule out.
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: {
        Ingress: ['UDP', 'TCP'].map((Protocol) => ({
          Protocol,
          Port: '53',
          SecurityGroupId: podGroupId,
          Action: 'ACCEPT',
          PolicyDescription: `sgops ${requestId}: DNS from pods`,
        })),
      },
    });
    const pod = (
      await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: podGroupId })
    ).SecurityGroupPolicySet!.Ingress!.find((r) => r.Port === '22')!;
    await world.vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: podGroupId,
      SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: pod.PolicyIndex }] },
    });
    await world.kube.custom.createNamespacedCustomObject({
      group: 'vpcresources.tke.cloud.tencent.com',
      version: 'v1beta1',
      namespace: 'my-namespace',
      plural: 'securitygrouppolicies',
      body: {
        apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
        kind: 'SecurityGroupPolicy',
        metadata: { name: 'sgops-my-app', namespace: 'my-namespace' },
        spec: {
          podSelector: { matchLabels: context.spec.podSelector },
          securityGroups: { groupIds: [podGroupId] },
        },
      },
    });
    expect(await sweep()).toMatchObject({ drifted: 0, told: 1 });
    const message = await told('alice', 3);
    expect(message.text).toBe(
      `${requestId} (grant pod SG to app my-app in my-namespace on cls-sandbox1) matches what was approved again.`,
    );
    expect(await sweep()).toMatchObject({ drifted: 0, told: 0 });
    // Found, changed, put right: three findings told; six sweeps so far.
    const metrics = await (await fetch(`${world.app.metricsUrl!}/metrics`)).text();
    expect(metrics).toMatch(/^sgops_drift_reports_total 3$/m);
    expect(metrics).toMatch(/^sgops_drift_sweeps_total 6$/m);
    expect(metrics).toMatch(/^sgops_drift_last_sweep_drifted 0$/m);
  });

  it('looks no more at a grant once its access is revoked', async () => {
    const revoke = await world.say('alice', 'revoke pod SG from app my-app in my-namespace');
    expect(await stateBecomes(world, revoke.requestId!, ['done', 'failed'])).toBe('done');
    expect(await sweep()).toMatchObject({ grants: 0, told: 0 });
  });
});
