import { securityGroupAnnotation } from '../../../src/ports/cluster.ts';
import type { Flow } from './evaluate-security-group-rules.ts';
import { admits } from './evaluate-security-group-rules.ts';
import type { KubeObject } from './kube-object.ts';
import type { NetworkModel, SecurityGroupRules } from './network-model.ts';
import { isReady } from './owner-references.ts';
import type { ResourceApi } from './resource-api.ts';

/** One side of a connection: its address and the groups that filter it. */
export interface NetworkEndpoint {
  ip: string;
  groups: readonly string[];
}

export type Resolution = { ok: true; ip: string } | { ok: false; reason: 'timed out' | 'NXDOMAIN' };

/** One answer of the probe: `ok` decides the pod's phase, `text` goes to its log. */
export interface CheckResult {
  ok: boolean;
  text: string;
}

/** Reads each group once per check, so one probe sees one consistent set of rules. */
type RuleReader = (id: string) => Promise<SecurityGroupRules>;

const empty: SecurityGroupRules = { ingress: [], egress: [] };
const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

interface Target {
  pod: KubeObject;
  port: number;
}

/**
 * Reachability between pods through Tencent Cloud security groups: a pod on a super node is
 * filtered by the groups in its annotation, every other pod (normal nodes, CoreDNS) by the
 * cluster security group. A connection flows when the source's egress and the destination's
 * ingress both admit it (first matching rule of the groups' rules in order).
 */
export class PodNetwork {
  constructor(
    private readonly api: ResourceApi,
    private readonly model: NetworkModel | undefined,
  ) {}

  /** Without a model nothing filters traffic and no group is checked (the simulator's default). */
  get checksGroups(): boolean {
    return this.model !== undefined;
  }

  /** The groups in the pod's annotation; none means the cluster group covers it. */
  annotatedGroups(pod: KubeObject): string[] {
    const text = pod.metadata.annotations?.[securityGroupAnnotation] ?? '';
    return text
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
  }

  groupsOf(pod: KubeObject): string[] {
    const ids = this.annotatedGroups(pod);
    if (ids.length > 0 || this.model === undefined) return ids;
    return [this.model.clusterGroupId];
  }

  /**
   * How many distinct groups the pod names and the per-instance limit, when it names more than
   * an instance (its ENI) may carry; undefined when it fits, or without a model.
   */
  async excessGroups(pod: KubeObject): Promise<{ count: number; limit: number } | undefined> {
    const model = this.model;
    if (model === undefined) return undefined;
    const count = new Set(this.annotatedGroups(pod)).size;
    if (count === 0) return undefined;
    const limit = await model.instanceSecurityGroupLimit();
    return count > limit ? { count, limit } : undefined;
  }

  /** The pod's annotated groups that do not exist in the cloud, in annotation order. */
  async missingGroups(pod: KubeObject): Promise<string[]> {
    const model = this.model;
    if (model === undefined) return [];
    const ids = this.annotatedGroups(pod);
    const found = await Promise.all(ids.map((id) => model.securityGroup(id)));
    return ids.filter((_, i) => found[i] === null);
  }

  private reader(): RuleReader {
    const cache = new Map<string, Promise<SecurityGroupRules>>();
    return (id) => {
      let rules = cache.get(id);
      if (rules === undefined) {
        // A group that vanished filters like an empty one: it admits nothing.
        rules =
          this.model === undefined
            ? Promise.resolve(empty)
            : this.model.securityGroup(id).then((r) => r ?? empty);
        cache.set(id, rules);
      }
      return rules;
    };
  }

  private endpointOf(pod: KubeObject): NetworkEndpoint {
    return { ip: String(pod.status?.podIP ?? ''), groups: this.groupsOf(pod) };
  }

  private async flows(
    rules: RuleReader,
    from: NetworkEndpoint,
    to: NetworkEndpoint,
    protocol: Flow['protocol'],
    port: number,
  ): Promise<boolean> {
    if (this.model === undefined) return true;
    const egress = (await Promise.all(from.groups.map(rules))).flatMap((r) => r.egress);
    const ingress = (await Promise.all(to.groups.map(rules))).flatMap((r) => r.ingress);
    return (
      admits(egress, { protocol, port, peerIp: to.ip, peerGroups: to.groups }) &&
      admits(ingress, { protocol, port, peerIp: from.ip, peerGroups: from.groups })
    );
  }

  /** Ready pods behind a Service's endpoints, with the port each one is reached on. */
  private readyTargets(service: KubeObject, servicePort: { name?: string; port: number }): Target[] {
    const endpoints = this.api.find('endpoints', service.metadata.namespace, service.metadata.name);
    const targets: Target[] = [];
    for (const subset of (endpoints?.['subsets'] ?? []) as {
      addresses?: { targetRef?: { name: string; namespace?: string } }[];
      ports?: { name?: string; port: number; protocol?: string }[];
    }[]) {
      const ports = subset.ports ?? [];
      const port = ports.length === 1 ? ports[0] : ports.find((p) => p.name === servicePort.name);
      if (port === undefined) continue;
      for (const address of subset.addresses ?? []) {
        const ref = address.targetRef;
        const pod = ref && this.api.find('pods', ref.namespace ?? service.metadata.namespace, ref.name);
        if (pod !== undefined && isReady(pod)) targets.push({ pod, port: port.port });
      }
    }
    return targets;
  }

  /** CoreDNS behind kube-system/kube-dns, the port of each protocol from the Service. */
  private dnsServers(): { protocol: Flow['protocol']; targets: Target[] }[] {
    const service = this.api.find('services', 'kube-system', 'kube-dns');
    if (service === undefined) return [];
    const ports = (service.spec?.ports ?? []) as { name?: string; port: number; protocol?: string }[];
    return (['UDP', 'TCP'] as const).flatMap((protocol) => {
      const port = ports.find((p) => (p.protocol ?? 'TCP') === protocol);
      return port === undefined ? [] : [{ protocol, targets: this.readyTargets(service, port) }];
    });
  }

  /**
   * A lookup from the pod: it needs UDP or TCP to every CoreDNS pod (the model is pessimistic:
   * a partly reachable Service counts as unreachable), then the name is a Service's.
   */
  async resolve(pod: KubeObject, name: string): Promise<Resolution> {
    if (ipv4.test(name)) return { ok: true, ip: name };
    const rules = this.reader();
    const from = this.endpointOf(pod);
    let reachable = false;
    for (const { protocol, targets } of this.dnsServers()) {
      if (targets.length === 0) continue;
      const each = await Promise.all(
        targets.map((t) => this.flows(rules, from, this.endpointOf(t.pod), protocol, t.port)),
      );
      if (each.every(Boolean)) reachable = true;
    }
    if (!reachable) return { ok: false, reason: 'timed out' };
    const parts = name
      .replace(/\.$/, '')
      .replace(/\.cluster\.local$/, '')
      .replace(/\.svc$/, '')
      .split('.');
    if (parts.length > 2) return { ok: false, reason: 'NXDOMAIN' };
    const [serviceName = '', namespace = pod.metadata.namespace ?? 'default'] = parts;
    const service = this.api.find('services', namespace, serviceName);
    if (service === undefined) return { ok: false, reason: 'NXDOMAIN' };
    const clusterIp = service.spec?.clusterIP;
    if (clusterIp && clusterIp !== 'None') return { ok: true, ip: String(clusterIp) };
    // A headless Service answers with its ready pods' addresses.
    const first = this.readyTargets(service, (service.spec?.ports ?? [])[0] ?? { port: 0 })[0];
    return first ? { ok: true, ip: String(first.pod.status.podIP) } : { ok: false, reason: 'NXDOMAIN' };
  }

  /** What `GET <url>` from the pod answers: `200 Welcome to nginx!`, `connection timed out`, … */
  async get(pod: KubeObject, url: string): Promise<CheckResult> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, text: 'malformed URL' };
    }
    if (parsed.protocol !== 'http:') return { ok: false, text: `unsupported protocol ${parsed.protocol}` };
    const host = parsed.hostname;
    const port = parsed.port === '' ? 80 : Number(parsed.port);
    const resolved = await this.resolve(pod, host);
    if (!resolved.ok) return { ok: false, text: `could not resolve host ${host}` };
    const targets = this.targetsAt(resolved.ip, port);
    if (typeof targets === 'string') return { ok: false, text: targets };
    const rules = this.reader();
    const from = this.endpointOf(pod);
    const each = await Promise.all(
      targets.map((t) => this.flows(rules, from, this.endpointOf(t.pod), 'TCP', t.port)),
    );
    if (!each.every(Boolean)) return { ok: false, text: 'connection timed out' };
    const answer = serve(targets[0]!);
    return answer === undefined ? { ok: false, text: 'connection refused' } : { ok: true, text: answer };
  }

  /** The pods behind an address (a Service's cluster IP or a pod IP), or why nothing answers. */
  private targetsAt(ip: string, port: number): Target[] | string {
    const service = this.api.list(this.api.type('services'), undefined).find((s) => s.spec?.clusterIP === ip);
    if (service !== undefined) {
      const servicePort = (
        (service.spec?.ports ?? []) as { name?: string; port: number; protocol?: string }[]
      ).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
      if (servicePort === undefined) return 'connection timed out';
      const targets = this.readyTargets(service, servicePort);
      // kube-proxy rejects connections to a Service without ready endpoints.
      return targets.length > 0 ? targets : 'connection refused';
    }
    const pod = this.api
      .list(this.api.type('pods'), undefined)
      .find((p) => p.status?.podIP === ip && p.status?.phase === 'Running');
    return pod === undefined ? 'connection timed out' : [{ pod, port }];
  }
}

/**
 * What a pod answers on a port: nginx images serve their welcome page on 80 and on their
 * declared ports; other images answer `200 OK` on their declared ports only.
 */
function serve(target: Target): string | undefined {
  for (const c of (target.pod.spec?.containers ?? []) as {
    image?: string;
    ports?: { containerPort: number; protocol?: string }[];
  }[]) {
    const declared = (c.ports ?? []).some(
      (p) => p.containerPort === target.port && (p.protocol ?? 'TCP') === 'TCP',
    );
    const nginx = /(^|\/)nginx(:|@|$)/.test(c.image ?? '');
    if (nginx && (declared || target.port === 80)) return '200 Welcome to nginx!';
    if (declared) return '200 OK';
  }
  return undefined;
}
