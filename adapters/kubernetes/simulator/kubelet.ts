import { randomBytes } from 'node:crypto';
import { superNodeLabel } from '../../../src/ports/cluster.ts';
import type { KubeObject } from './kube-object.ts';
import type { ResourceApi } from './resource-api.ts';

export interface KubeletOptions {
  api: ResourceApi;
  startLatencyMs: number;
  timestamp: () => string;
  /** Called after a pod changed on a timer, so controllers look again. */
  onChange: () => void;
}

/**
 * Every node's kubelet: a bound pod becomes Running and Ready after the start latency, with
 * an IP from the node's range (10.0.64.x on super nodes, 10.0.0.x elsewhere).
 */
export class Kubelet {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly nextHost = new Map<string, number>();
  constructor(private readonly options: KubeletOptions) {}

  sync(): void {
    const { api } = this.options;
    for (const pod of api.list(api.type('pods'), undefined)) {
      const uid = pod.metadata.uid ?? '';
      if (!pod.spec?.nodeName || pod.status?.phase !== 'Pending' || this.timers.has(uid)) continue;
      const timer = setTimeout(() => {
        this.timers.delete(uid);
        this.start(pod);
        this.options.onChange();
      }, this.options.startLatencyMs);
      this.timers.set(uid, timer);
    }
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private allocateIp(superNode: boolean): string {
    const prefix = superNode ? '10.0.64.' : '10.0.0.';
    const first = superNode ? 2 : 10;
    const next = this.nextHost.get(prefix) ?? first;
    this.nextHost.set(prefix, next >= 254 ? first : next + 1);
    return `${prefix}${next}`;
  }

  private start(pod: KubeObject): void {
    const { api, timestamp } = this.options;
    const node = api.find('nodes', undefined, pod.spec.nodeName);
    const current = api.find('pods', pod.metadata.namespace, pod.metadata.name);
    if (node === undefined || current === undefined || current.metadata.uid !== pod.metadata.uid) return;
    const superNode = node.metadata.labels?.[superNodeLabel.key] === superNodeLabel.value;
    const ip = this.allocateIp(superNode);
    // On a super node every pod is its own lightweight VM, so its host IP is its own IP.
    const nodeIp = (node.status?.addresses ?? []).find(
      (a: { type: string }) => a.type === 'InternalIP',
    )?.address;
    const hostIp = superNode ? ip : (nodeIp ?? ip);
    const now = timestamp();
    api.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      const condition = (type: string) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: now,
      });
      p.status = {
        ...p.status,
        phase: 'Running',
        conditions: [
          'PodReadyToStartContainers',
          'Initialized',
          'Ready',
          'ContainersReady',
          'PodScheduled',
        ].map(condition),
        hostIP: hostIp,
        hostIPs: [{ ip: hostIp }],
        podIP: ip,
        podIPs: [{ ip }],
        startTime: now,
        containerStatuses: (p.spec.containers ?? []).map((c: { name: string; image: string }) => ({
          name: c.name,
          state: { running: { startedAt: now } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: c.image,
          imageID: `${c.image}@sha256:${randomBytes(32).toString('hex')}`,
          containerID: `containerd://${randomBytes(32).toString('hex')}`,
          started: true,
        })),
      };
    });
  }
}
