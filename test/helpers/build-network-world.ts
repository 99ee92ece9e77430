/**
 * Makes a random world (test/helpers/random-network-world.ts) real in one namespace, through the
 * clients an operator would use: groups and rules with tencentcloud-sdk-nodejs, SecurityGroupPolicies,
 * pods and Services with client-node. Returns the running pods as the simulator holds them.
 */
import type * as k8s from '@kubernetes/client-node';
import type { KubeObject } from '../../adapters/kubernetes/simulator/kube-object.ts';
import { normalNodeName } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { superNodeLabel, superNodeTaintKey } from '../../src/ports/cluster.ts';
import type { AppSpec, Node, PeerSpec, RuleSpec, WorldSpec } from './random-network-world.ts';
import { askedPorts } from './random-network-world.ts';
import type { TestWorld } from './test-world.ts';

const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
};

export interface BuiltApp {
  app: string;
  pods: KubeObject[];
  /** The Service's cluster IP (target apps only), serving every asked port. */
  clusterIp?: string;
}

export interface BuiltWorld {
  namespace: string;
  groupIds: string[];
  sources: BuiltApp[];
  targets: BuiltApp[];
  /** The pod bound to the group-target group alone. */
  groupPod: KubeObject;
  /** The rules as sent, per group: what a failure report shows. */
  sent: Record<string, { ingress: unknown[]; egress: unknown[] }>;
}

type WireRule = Record<string, string | number | undefined>;

/** A pod of the app on a super or the normal node; with `command`, a probe pod (`sgops-probe …`). */
export function podBody(
  name: string,
  app: string,
  node: Node,
  ports: number[],
  command?: string[],
): k8s.V1Pod {
  const placement: Pick<k8s.V1PodSpec, 'nodeSelector' | 'tolerations'> =
    node === 'super'
      ? {
          nodeSelector: { [superNodeLabel.key]: superNodeLabel.value },
          tolerations: [{ effect: 'NoSchedule', key: superNodeTaintKey, operator: 'Exists' }],
        }
      : { nodeSelector: { 'kubernetes.io/hostname': normalNodeName } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app } },
    spec: {
      containers: [
        command
          ? { name: 'probe', image: 'busybox:1.36', command }
          : { name: 'web', image: 'nginx:1.25', ports: ports.map((containerPort) => ({ containerPort })) },
      ],
      ...(command ? { restartPolicy: 'Never' } : {}),
      ...placement,
    },
  };
}

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const ready = (pod: KubeObject | undefined) =>
  pod?.status?.phase === 'Running' &&
  ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

const ruleKey = (r: WireRule) =>
  [r['Protocol'], r['Port'], r['CidrBlock'], r['SecurityGroupId'], r['Action']].join('|');

export async function buildNetworkWorld(
  world: TestWorld,
  spec: WorldSpec,
  namespace: string,
  clusterGroupId: string,
): Promise<BuiltWorld> {
  const { vpc, kube, simulator } = world;
  await kube.core.createNamespace({ body: { metadata: { name: namespace } } });

  const groupIds: string[] = [];
  for (let i = 0; i < spec.groups.length; i += 1) {
    const created = await vpc.CreateSecurityGroup({
      GroupName: `${namespace}-g${i}`,
      GroupDescription: 'a random world of explain-ground-truth',
    });
    groupIds.push(created.SecurityGroup!.SecurityGroupId!);
  }

  const wire = (rule: RuleSpec, podIp: (n: number) => string): WireRule => {
    const peer: PeerSpec = rule.peer;
    const to =
      'cidr' in peer
        ? { CidrBlock: peer.cidr }
        : 'podIp' in peer
          ? { CidrBlock: `${podIp(peer.podIp)}/32` }
          : { SecurityGroupId: [...groupIds, clusterGroupId][peer.group % (groupIds.length + 1)]! };
    return { Protocol: rule.protocol, ...(rule.port ? { Port: rule.port } : {}), ...to, Action: rule.action };
  };
  const sent: BuiltWorld['sent'] = {};
  for (const id of groupIds) sent[id] = { ingress: [], egress: [] };

  // Rules that name blocks or groups go in first, one call per direction, in the generated order.
  const late: { groupId: string; direction: 'Ingress' | 'Egress'; rule: RuleSpec }[] = [];
  for (const [i, group] of spec.groups.entries()) {
    const groupId = groupIds[i]!;
    for (const direction of ['Ingress', 'Egress'] as const) {
      const list = sent[groupId]![direction === 'Ingress' ? 'ingress' : 'egress'] as WireRule[];
      const seen = new Set<string>();
      const early: WireRule[] = [];
      for (const rule of group[direction === 'Ingress' ? 'ingress' : 'egress']) {
        if ('podIp' in rule.peer) {
          late.push({ groupId, direction, rule });
          continue;
        }
        const w = wire(rule, () => '');
        if (seen.has(ruleKey(w))) continue;
        seen.add(ruleKey(w));
        early.push(w);
      }
      if (early.length === 0) continue;
      await vpc.CreateSecurityGroupPolicies({
        SecurityGroupId: groupId,
        SecurityGroupPolicySet: { [direction]: early },
      });
      list.push(...early);
    }
  }

  const createPolicy = (name: string, app: string, groups: string[]) =>
    kube.custom.createNamespacedCustomObject({
      ...sgp,
      namespace,
      body: {
        apiVersion: `${sgp.group}/${sgp.version}`,
        kind: 'SecurityGroupPolicy',
        metadata: { name, namespace },
        spec: { podSelector: { matchLabels: { app } }, securityGroups: { groupIds: groups } },
      },
    });
  const bindingOf = (a: AppSpec) => (a.binding ?? []).map((i) => groupIds[i]!);
  const apps = [
    ...spec.sources.map((a, i) => ({ spec: a, app: `s${i}` })),
    ...spec.targets.map((a, i) => ({ spec: a, app: `t${i}` })),
  ];
  for (const { spec: a, app } of apps)
    if (a.binding !== null && !a.late) await createPolicy(`p-${app}`, app, bindingOf(a));
  const groupTargetId = groupIds[spec.groupTarget]!;
  await createPolicy('p-gt', 'gt', [groupTargetId]);

  const names: string[] = [];
  for (const { spec: a, app } of apps)
    for (const [k, node] of a.pods.entries()) {
      const name = `${app}-${k}`;
      names.push(name);
      await kube.core.createNamespacedPod({ namespace, body: podBody(name, app, node, a.ports) });
    }
  names.push('gt-0');
  await kube.core.createNamespacedPod({ namespace, body: podBody('gt-0', 'gt', 'super', []) });
  await until(
    () => (names.every((n) => ready(simulator.get('pods', namespace, n))) ? true : undefined),
    `the pods of ${namespace}`,
  );

  // Policies made after the pods: they select them, but running pods keep what they started with.
  for (const { spec: a, app } of apps)
    if (a.binding !== null && a.late) await createPolicy(`p-${app}`, app, bindingOf(a));

  // Rules naming a pod's /32, inserted at a random PolicyIndex now that the addresses are known.
  const ips = names.map((n) => String(simulator.get('pods', namespace, n)!.status.podIP));
  for (const { groupId, direction, rule } of late) {
    const list = sent[groupId]![direction === 'Ingress' ? 'ingress' : 'egress'] as WireRule[];
    const w = wire(rule, (n) => ips[n % ips.length]!);
    if (list.some((r) => ruleKey(r) === ruleKey(w))) continue;
    const at = rule.at % (list.length + 1);
    await vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: groupId,
      SecurityGroupPolicySet: { [direction]: [{ ...w, PolicyIndex: at }] },
    });
    list.splice(at, 0, w);
  }

  const built = (a: { spec: AppSpec; app: string }): BuiltApp => ({
    app: a.app,
    pods: a.spec.pods.map((_, k) => simulator.get('pods', namespace, `${a.app}-${k}`)!),
  });
  const targets: BuiltApp[] = [];
  for (const a of apps.filter((x) => x.app.startsWith('t'))) {
    const service = await kube.core.createNamespacedService({
      namespace,
      body: {
        metadata: { name: a.app },
        spec: {
          selector: { app: a.app },
          ports: askedPorts.map((port) => ({ name: `p${port}`, port, targetPort: port, protocol: 'TCP' })),
        },
      },
    });
    targets.push({ ...built(a), clusterIp: service.spec!.clusterIP! });
  }
  // Every target pod is a ready endpoint, so a connection through the Service may land on any.
  await until(() => {
    const all = targets.every((t) => {
      const subsets = (simulator.get('endpoints', namespace, t.app)?.['subsets'] ?? []) as {
        addresses?: unknown[];
      }[];
      return subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0) === t.pods.length;
    });
    return all ? true : undefined;
  }, `the endpoints of ${namespace}`);

  return {
    namespace,
    groupIds,
    sources: apps.filter((x) => x.app.startsWith('s')).map(built),
    targets,
    groupPod: simulator.get('pods', namespace, 'gt-0')!,
    sent,
  };
}

/** Removes the world's pods and Services, so the next world's addresses and Services are its own. */
export function clearNetworkWorld(world: TestWorld, namespace: string): void {
  for (const plural of ['pods', 'services'])
    for (const o of world.simulator.list(plural, namespace))
      world.simulator.delete(plural, namespace, o.metadata.name);
}
