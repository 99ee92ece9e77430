import { errorIn } from '../../src/chat/error-in.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { grantApproved } from '../helpers/chat-requests.ts';
import { until } from '../helpers/until.ts';
import { cloudSnapshot } from '../helpers/cloud-snapshot.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import type { RevokeContext } from '../../workflows/revoke/types.ts';
import { printedTccliLines, tccliLineProblems } from '../helpers/tccli-line-problems.ts';

const ns = 'my-namespace';
const clusterGroupId = 'sg-sandbox1';

/**
 * `using <sg-id>,…`: the pods get groups that already exist. sgops makes no group; it lets the
 * named groups reach CoreDNS through the cluster group, adds the kubelet health checks only to a
 * group that lacks them, and puts `allow` rules on the first named group. Rollback and revoke take
 * back exactly that: afterwards DescribeSecurityGroups and DescribeSecurityGroupPolicies read as
 * they did before the grant.
 */
describe('granting existing security groups with `using`', () => {
  let world: TestWorld;
  let app = '';
  let metrics = '';
  let before: unknown[] = [];

  const pods = async (label: string) =>
    (await world.kube.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${label}` })).items;
  /** The Kubernetes simulator's admin interface: GET, or POST with a body. */
  const kubeAdmin = async <T = unknown>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${world.kubeUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  const ingressOf = async (id: string) =>
    (await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: id })).SecurityGroupPolicySet!.Ingress!;

  beforeAll(async () => {
    // The team's groups are owned, in the policy, by the namespace's approvers: bob signs for both.
    world = await startTestWorld('grant-using-groups', {
      policy: { ...samplePolicy, securityGroupOwners: [{ name: 'team-*', owners: ['group:sre'] }] },
    });
    // The team's own groups: one that admits 443 and drops the rest, one that already admits the cluster group.
    app = (await world.vpc.CreateSecurityGroup({ GroupName: 'team-app', GroupDescription: 'the app' }))
      .SecurityGroup!.SecurityGroupId!;
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: app,
      SecurityGroupPolicySet: {
        Ingress: [
          {
            Protocol: 'TCP',
            Port: '443',
            CidrBlock: '10.0.0.0/8',
            Action: 'ACCEPT',
            PolicyDescription: 'https',
          },
          {
            Protocol: 'ALL',
            Port: 'ALL',
            CidrBlock: '0.0.0.0/0',
            Action: 'DROP',
            PolicyDescription: 'the rest',
          },
        ],
      },
    });
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: app,
      SecurityGroupPolicySet: {
        Egress: [{ Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
      },
    });
    metrics = (
      await world.vpc.CreateSecurityGroup({ GroupName: 'team-metrics', GroupDescription: 'scraping' })
    ).SecurityGroup!.SecurityGroupId!;
    await world.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: metrics,
      SecurityGroupPolicySet: {
        Ingress: [
          {
            Protocol: 'ALL',
            Port: 'ALL',
            SecurityGroupId: clusterGroupId,
            Action: 'ACCEPT',
            PolicyDescription: 'nodes',
          },
        ],
      },
    });
    before = await cloudSnapshot(world);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('refuses, while planning, a group that does not exist — naming it, in each reader’s language — and writes nothing', async () => {
    const { plan, end } = await grantApproved(
      world,
      `grant pod SG to app my-app in ${ns} using ${app},sg-zzzz9999`,
    );
    expect(plan.kind).toBe('error');
    expect(end.state).toBe('failed');
    expect(end.text).toContain(
      'The security group named in `using` does not exist in ap-guangzhou: sg-zzzz9999.',
    );
    expect(end.text).not.toMatch(/\p{Script=Han}/u);
    expect(end.text).not.toContain(`${app}.`);
    // A 中文 reader is told the same in 中文 alone: the error keeps both.
    const failed = (await world.app.engine.read(end.requestId!))!.context as GrantContext;
    expect(errorIn(failed.error!, 'zh').message).toBe(
      '`使用` 指定的安全组在 ap-guangzhou 不存在：sg-zzzz9999。',
    );
    expect(await cloudSnapshot(world)).toEqual(before);
  });

  it('gives the pods the named groups, adding only the missing rules, then revoking leaves the cloud exactly as before', async () => {
    const { requestId, plan, end } = await grantApproved(
      world,
      `grant pod SG to app my-app in ${ns} using ${app},${metrics}`,
    );
    expect(plan.text).toContain(`Using the existing groups ${app}, ${metrics}`);
    expect(plan.text).not.toContain('tccli vpc CreateSecurityGroup --');
    // DNS from both named groups into the cluster group, the kubelet rule into the one that lacks it, a read of the other.
    const tccli = printedTccliLines(plan.text);
    expect(tccli).toHaveLength(3);
    expect(tccli.flatMap((line) => tccliLineProblems(line))).toEqual([]);
    expect(plan.text).toContain(`${metrics} already has the rules this grant needs`);
    expect(end.state).toBe('done');
    const context = (await world.app.engine.read(requestId))!.context as GrantContext;
    expect(context.outputs.ensurePodSecurityGroup).toEqual({
      podGroupId: app,
      created: false,
      groupIds: [app, metrics],
    });

    // No group was made; the pods carry both named groups, in order.
    const { SecurityGroupSet } = await world.vpc.DescribeSecurityGroups({ Limit: '100' });
    expect(SecurityGroupSet!.some((g) => g.SecurityGroupName!.startsWith('sgops-'))).toBe(false);
    for (const pod of await pods('my-app'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBe(`${app},${metrics}`);
    // The kubelet health checks went into team-app ahead of its DROP; team-metrics already had them.
    const appIngress = await ingressOf(app);
    expect(appIngress.map((r) => `${r.Protocol} ${r.SecurityGroupId || r.CidrBlock} ${r.Action}`)).toEqual([
      'TCP 10.0.0.0/8 ACCEPT',
      `ALL ${clusterGroupId} ACCEPT`,
      'ALL 0.0.0.0/0 DROP',
    ]);
    expect(appIngress[1]!.PolicyDescription).toContain(`sgops ${requestId}:`);
    expect(context.outputs.ensurePodGroupRules!.groupsAdded).toEqual([
      expect.objectContaining({ securityGroupId: app, direction: 'ingress' }),
    ]);
    const dns = (await ingressOf(clusterGroupId)).filter((r) => r.Port === '53');
    expect(dns.map((r) => `${r.Protocol} ${r.SecurityGroupId}`).sort()).toEqual(
      [`TCP ${app}`, `TCP ${metrics}`, `UDP ${app}`, `UDP ${metrics}`].sort(),
    );

    // Planning asks who else uses each of the two groups from one policy list and one pod list: the
    // revoke is held at its first write (the policy's delete) to read the cluster calls planning made.
    await fetch(`${world.kubeUrl}/_admin/calls/reset`, { method: 'POST' });
    const hold = await kubeAdmin<{ id: string }>('/_admin/holds', {
      verb: 'delete',
      resource: 'securitygrouppolicies',
      namespace: ns,
      when: 'before',
    });
    const opened = await world.say('alice', `revoke pod SG from app my-app in ${ns}`);
    expect(opened.requestId, opened.text).toBeDefined();
    const held = await kubeAdmin<{ state: string }>(`/_admin/holds/${hold.id}?waitMs=30000`);
    expect(held.state).toBe('held');
    const planningCalls = await kubeAdmin<Record<string, number>>('/_admin/calls');
    await kubeAdmin(`/_admin/holds/${hold.id}/release`, {});
    expect(planningCalls['list securitygrouppolicies']).toBe(1);
    // One list of the target's pods (app=my-app), one of the namespace's pods for both groups' users.
    expect(planningCalls['list pods']).toBe(2);
    const gone = await world.waitFor(
      'alice',
      (m) => m.requestId === opened.requestId && (m.kind === 'result' || m.kind === 'error'),
      60_000,
    );
    expect(gone.state).toBe('done');
    // The DNS rules out of the cluster group, and each named group's own rules: each runs as printed.
    const revokePlan = ((await world.app.engine.read(opened.requestId!))!.context as RevokeContext).outputs
      .planning!;
    const removals = revokePlan.changes.filter((c) => c.system === 'tencentcloud').map((c) => c.command);
    expect(removals.length).toBeGreaterThan(0);
    expect(removals.flatMap((line) => tccliLineProblems(line))).toEqual([]);
    for (const pod of await pods('my-app'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
    expect(await cloudSnapshot(world)).toEqual(before);
  });

  it('puts `allow` on the first named group, and a rollback leaves the cloud exactly as before', async () => {
    // legacy-app runs on a normal node: the grant ends needing attention, and is rolled back.
    const { requestId, plan, end } = await grantApproved(
      world,
      `grant pod SG to app legacy-app in ${ns} using ${app} allow tcp:8080 from 10.1.0.0/16 allow tcp:9000 to 10.2.0.0/16 allow tcp:3306 to ${metrics}`,
    );
    const tccli = printedTccliLines(plan.text);
    expect(tccli.filter((line) => line.includes(`--SecurityGroupId ${metrics}`))).toHaveLength(1);
    expect(tccli.flatMap((line) => tccliLineProblems(line))).toEqual([]);
    expect(end.state).toBe('needsAttention');
    expect(
      (await ingressOf(app)).map((r) => `${r.Protocol} ${r.Port} ${r.SecurityGroupId || r.CidrBlock}`),
    ).toEqual([
      'TCP 443 10.0.0.0/8',
      `ALL ALL ${clusterGroupId}`,
      'TCP 8080 10.1.0.0/16',
      'ALL ALL 0.0.0.0/0',
    ]);
    const egress = (await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: app }))
      .SecurityGroupPolicySet!.Egress!;
    expect(egress.map((r) => `${r.Protocol} ${r.Port} ${r.CidrBlock}`)).toEqual([
      'ALL ALL 0.0.0.0/0',
      'TCP 9000 10.2.0.0/16',
    ]);
    expect((await ingressOf(metrics)).map((r) => `${r.Protocol} ${r.Port} ${r.SecurityGroupId}`)).toEqual([
      `ALL ALL ${clusterGroupId}`,
      `TCP 3306 ${app}`,
    ]);

    const answer = await world.say('alice', `rollback ${requestId}`);
    expect(answer.state).toBe('rollingBack');
    const rolled = await world.waitFor(
      'alice',
      (m) => m.requestId === requestId && m.kind === 'result' && m.state === 'rolledBack',
      60_000,
    );
    expect(rolled.text).toContain(`kept security group ${app}`);
    expect(await cloudSnapshot(world)).toEqual(before);
    await until('legacy-app to keep running', async () =>
      (await pods('legacy-app')).length > 0 ? true : undefined,
    );
  });
});
