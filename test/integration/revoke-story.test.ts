import { saidIn } from '../../src/domain/words.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { clusterId, credentials, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { superNodeDeployment } from '../helpers/super-node-deployment.ts';
import { auditPort } from '../../src/audit/audit-port.ts';
import { cloudTargetOf } from '../../src/audit/cloud-target-of.ts';
import { clusterTargetOf } from '../../src/audit/cluster-target-of.ts';
import { createEngine } from '../../src/engine/engine.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { createOutboxDispatcher } from '../../src/engine/outbox-dispatcher.ts';
import { createQueues, redisConnectionFromUrl } from '../../src/engine/queues.ts';
import { startWorkers } from '../../src/engine/workers.ts';
import { createStepGuards } from '../../src/engine/carried-steps.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { createLocalGroupWriteLock } from '../../src/engine/local-group-write-lock.ts';
import { cloudActions } from '../../src/ports/cloud-network.ts';
import type { CloudNetwork } from '../../src/ports/cloud-network.ts';
import { clusterActions, securityGroupAnnotation } from '../../src/ports/cluster.ts';
import type { Cluster } from '../../src/ports/cluster.ts';
import { createTencentCloudNetwork } from '../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import { createKubernetesCluster, kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import { revokeMachine, revokeMachineVersion } from '../../workflows/revoke/machine.ts';
import { createRevokeSteps } from '../../workflows/revoke/steps.ts';
import type { RevokeContext, RevokeInput, RevokeStepName } from '../../workflows/revoke/types.ts';
import { sandboxGrantSettings } from '../helpers/grant-settings.ts';
import { until } from '../helpers/until.ts';
import { tccliLineProblems } from '../helpers/tccli-line-problems.ts';

type NotifyJob = { requestId: string; template: string; audience: string; step?: string };

/**
 * A second sgops replica on the same Postgres that runs the revoke workflow (on its own BullMQ
 * prefix), wired like src/main.ts wires a workflow: engine, outbox dispatcher, step worker over
 * audited ports. Notifications are recorded, not rendered.
 */
async function startRevokeReplica(world: TestWorld) {
  const logger = pino({ level: 'silent' });
  const store = world.app.store;
  const queueSettings = {
    connection: redisConnectionFromUrl(world.app.config.redis.url),
    prefix: `${world.app.config.redis.prefix}-revoke`,
  };
  const queues = createQueues(queueSettings);
  const dispatcher = createOutboxDispatcher({
    store,
    queues,
    settings: { stepAttempts: 3, stepBackoffMs: 50 },
    logger,
  });
  const engine = createEngine({
    store,
    workflows: { revoke: { name: 'revoke', machine: revokeMachine, version: revokeMachineVersion } },
    dispatcher,
    logger,
  });
  const cloud = createTencentCloudNetwork({
    ...credentials,
    region: 'ap-guangzhou',
    endpoint: world.cloudUrl,
  });
  const cluster = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: world.kubeUrl }) });
  const groupWrites = createLocalGroupWriteLock();
  const notes: NotifyJob[] = [];
  const workers = startWorkers<unknown, NotifyJob>({
    queues: queueSettings,
    settings: {
      stepConcurrency: 4,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      stepBackoffMs: 50,
      shutdownGraceMs: 3000,
    },
    engine,
    guards: createStepGuards(queues.steps),
    logger,
    handleChat: async () => {},
    notify: async (job) => {
      notes.push(job);
    },
    runStep: async ({ requestId, step, context, signal }) => {
      const audit = { requestId, actor: 'sgops', step };
      const secrets = [credentials.secretKey];
      const steps = createRevokeSteps({
        cloud: auditPort<CloudNetwork>(
          cloud,
          cloudActions,
          store,
          { ...audit, system: 'tencentcloud' },
          {
            targetOf: cloudTargetOf,
            secrets,
          },
        ),
        cluster: auditPort<Cluster>(
          cluster,
          clusterActions,
          store,
          { ...audit, system: 'kubernetes' },
          {
            targetOf: clusterTargetOf,
            secrets,
          },
        ),
        groupWrites,
        clock: systemClock,
        settings: sandboxGrantSettings({ pollDelayMs: 100, rolloutWaitMs: 5_000 }),
        signal,
      });
      return steps[step as RevokeStepName](context as RevokeContext);
    },
  });
  return {
    engine,
    notes,
    async stop() {
      await workers.close();
      await dispatcher.settle();
      await queues.close();
    },
  };
}

describe('revoking a pod security group from my-app', () => {
  let world: TestWorld;
  let replica: Awaited<ReturnType<typeof startRevokeReplica>>;
  let clusterGroupId = '';
  let revokes = 0;

  beforeAll(async () => {
    world = await startTestWorld('revoke-story', {
      // The app's own replica does not know the revoke workflow yet: keep its sweeps off our rows.
      workflow: {
        stepBackoffMs: 50,
        pollDelayMs: 100,
        approvalTimeoutMs: 600_000,
        rolloutWaitMs: 5_000,
        outboxSweepMs: 3_600_000,
        reconcileMs: 3_600_000,
      },
    });
    replica = await startRevokeReplica(world);
    clusterGroupId = world.emulator
      .state()
      .securityGroups.find((g) => g.name === `tke-worker-security-for-${clusterId}`)!.id;
  });

  afterAll(async () => {
    await replica?.stop();
    await world?.stop();
  });

  async function grant(app: string): Promise<string> {
    const opened = await world.say('alice', `grant pod SG to app ${app} in my-namespace`);
    await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'plan');
    await world.app.console.say('bob', `approve ${opened.requestId}`);
    const end = await world.waitFor(
      'alice',
      (m) => m.requestId === opened.requestId && m.kind === 'result',
      45_000,
    );
    expect(end.state).toBe('done');
    const { SecurityGroupSet } = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: [`sgops-my-namespace-${app}`] }],
    });
    return SecurityGroupSet![0]!.SecurityGroupId!;
  }

  async function revoke(app: string, extra: Partial<RevokeInput['spec']> = {}) {
    const id = `RVK${++revokes}`;
    const spec: RevokeInput['spec'] = {
      requestId: id,
      requester: 'alice',
      clusterId,
      namespace: 'my-namespace',
      target: { kind: 'app', app },
      podSelector: { app },
      podGroupName: `sgops-my-namespace-${app}`,
      policyName: `sgops-${app}`,
      ...extra,
    };
    await replica.engine.open(
      {
        id,
        workflow: 'revoke',
        requester: 'alice',
        clusterId,
        namespace: 'my-namespace',
        spec: spec as unknown as Record<string, unknown>,
        origin: { platform: 'console', conversationId: 'alice' },
      },
      { spec, requestedAt: new Date().toISOString() } satisfies RevokeInput,
    );
    const view = await until(`revoke ${id} to end`, async () => {
      const v = await (replica.engine as Engine).read(id);
      return v && ['done', 'failed'].includes(v.state) ? v : undefined;
    });
    return { id, state: view.state, context: view.context as RevokeContext };
  }

  const policy = (name: string) =>
    world.kube.custom
      .getNamespacedCustomObject({
        group: 'vpcresources.tke.cloud.tencent.com',
        version: 'v1beta1',
        namespace: 'my-namespace',
        plural: 'securitygrouppolicies',
        name,
      })
      .then(
        () => true,
        () => false,
      );
  const pods = async (app: string) =>
    (await world.kube.core.listNamespacedPod({ namespace: 'my-namespace', labelSelector: `app=${app}` }))
      .items;
  const dnsRulesFrom = async (podGroupId: string) => {
    const rules = await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: clusterGroupId });
    return rules
      .SecurityGroupPolicySet!.Ingress!.filter((r) => r.SecurityGroupId === podGroupId)
      .map((r) => `${r.Protocol}/${r.Port}`)
      .sort();
  };
  const groupExists = async (id: string) =>
    ((await world.vpc.DescribeSecurityGroups({ Filters: [{ Name: 'security-group-id', Values: [id] }] }))
      .TotalCount ?? 0) > 0;

  it('removes the policy, recreates the pods without the group, then the DNS rules and the group', async () => {
    const podGroupId = await grant('my-app');
    const granted = (await pods('my-app')).map((p) => p.metadata!.name!);
    expect(await dnsRulesFrom(podGroupId)).toEqual(['TCP/53', 'UDP/53']);
    const clusterRulesBefore = (
      await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: clusterGroupId })
    )
      .SecurityGroupPolicySet!.Ingress!.filter((r) => r.SecurityGroupId !== podGroupId)
      .map((r) => [r.Protocol, r.Port, r.CidrBlock, r.Action]);

    const { id, state, context } = await revoke('my-app');
    expect(state).toBe('done');
    const plan = context.outputs.planning!;
    expect(plan.podGroupId).toBe(podGroupId);
    expect(plan.stillUsedBy).toEqual([]);
    expect(plan.changes.map((c) => c.command)).toEqual([
      'kubectl delete securitygrouppolicies.vpcresources.tke.cloud.tencent.com sgops-my-app -n my-namespace',
      'kubectl rollout restart deployment/my-deployment -n my-namespace',
      expect.stringContaining(
        `tccli vpc DeleteSecurityGroupPolicies --region ap-guangzhou --SecurityGroupId ${clusterGroupId}`,
      ),
      expect.stringContaining(
        `tccli vpc DeleteSecurityGroup --region ap-guangzhou --SecurityGroupId ${podGroupId}`,
      ),
    ]);
    for (const { system, command } of plan.changes)
      if (system === 'tencentcloud') expect(tccliLineProblems(command), command).toEqual([]);

    expect(await policy('sgops-my-app')).toBe(false);
    const now = await pods('my-app');
    expect(now).toHaveLength(2);
    for (const pod of now) {
      expect(granted).not.toContain(pod.metadata!.name);
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
    }
    expect(await dnsRulesFrom(podGroupId)).toEqual([]);
    expect(await groupExists(podGroupId)).toBe(false);
    const clusterRulesAfter = (
      await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: clusterGroupId })
    ).SecurityGroupPolicySet!.Ingress!.map((r) => [r.Protocol, r.Port, r.CidrBlock, r.Action]);
    expect(clusterRulesAfter).toEqual(clusterRulesBefore);

    expect(replica.notes.filter((n) => n.requestId === id).map((n) => `${n.template}:${n.audience}`)).toEqual(
      expect.arrayContaining(['revokePlanned:everyone', 'stepStarted:requester', 'revoked:everyone']),
    );
    const audited = await world.app.store.listAudit({ requestId: id, limit: 1000 });
    const actions = audited.filter((r) => r.kind === 'outcome').map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'delete securitygrouppolicies',
        'patch deployments',
        'DeleteSecurityGroupPolicies',
        'DescribeSecurityGroupReferences',
        'DeleteSecurityGroup',
      ]),
    );
  });

  it('keeps the DNS rules and the group while another policy still names the group, and removes them once it is gone', async () => {
    const podGroupId = await grant('my-app');
    // Someone else's policy gives the same group to another app's pods.
    world.simulator.create('securitygrouppolicies', 'my-namespace', {
      apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'team-shared', namespace: 'my-namespace' },
      spec: { podSelector: { matchLabels: { app: 'report' } }, securityGroups: { groupIds: [podGroupId] } },
    });
    world.simulator.create(
      'deployments',
      'my-namespace',
      superNodeDeployment({ app: 'report', replicas: 1 }),
    );
    await until('the report pod with the shared group', async () => {
      const carrying = (await pods('report')).filter(
        (p) => p.metadata!.annotations?.[securityGroupAnnotation] === podGroupId,
      );
      return carrying.length === 1 ? true : undefined;
    });

    const shared = await revoke('my-app', { otherPolicyNames: ['team-shared'] });
    expect(shared.state).toBe('done');
    expect(shared.context.outputs.planning!.stillUsedBy.map((u) => saidIn(u, 'en'))).toContain(
      `SecurityGroupPolicy my-namespace/team-shared names ${podGroupId}`,
    );
    expect(await policy('sgops-my-app')).toBe(false);
    for (const pod of await pods('my-app'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
    expect(await dnsRulesFrom(podGroupId)).toEqual(['TCP/53', 'UDP/53']);
    expect(await groupExists(podGroupId)).toBe(true);
    expect(shared.context.outputs.removeDnsRules!.kept.map((k) => saidIn(k, 'en')).join('\n')).toContain(
      'team-shared',
    );
    expect(shared.context.outputs.removePodGroup).toMatchObject({ deleted: false });
    expect(await policy('team-shared')).toBe(true);
    for (const pod of await pods('report'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBe(podGroupId);

    // The other team lets go of the group: a second revoke finishes the job and touches nothing twice.
    world.simulator.delete('securitygrouppolicies', 'my-namespace', 'team-shared');
    world.simulator.delete('deployments', 'my-namespace', 'report');
    await until('the report pods to go', async () =>
      (await pods('report')).length === 0 ? true : undefined,
    );
    const last = await revoke('my-app');
    expect(last.state).toBe('done');
    expect(last.context.outputs.removePolicy).toMatchObject({ deleted: false, kept: null });
    expect(last.context.outputs.recreatePods!.restarted).toEqual([]);
    expect(await dnsRulesFrom(podGroupId)).toEqual([]);
    expect(await groupExists(podGroupId)).toBe(false);
  });
});
