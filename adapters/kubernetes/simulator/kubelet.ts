import { randomBytes } from 'node:crypto';
import { superNodeLabel } from '../../../src/ports/cluster.ts';
import type { KubeObject } from './kube-object.ts';
import type { Requirement } from './label-selector.ts';
import { matchesRequirements, parseLabelSelector } from './label-selector.ts';
import { recordEvent } from './record-event.ts';
import type { ResourceApi } from './resource-api.ts';

/** Runtime knobs; a selector is a `labelSelector` string, empty or null to clear it. */
export interface KubeletConfig {
  startLatencyMs?: number;
  /** Pods matching this start (Running) but never become Ready. */
  neverReady?: string | null;
  /** Pods matching this crash on start and stay in CrashLoopBackOff. */
  crash?: string | null;
}

type Fate = 'ready' | 'neverReady' | 'crash';

export interface KubeletOptions {
  api: ResourceApi;
  startLatencyMs: number;
  timestamp: () => string;
  /** Called after a pod changed on a timer, so controllers look again. */
  onChange: () => void;
}

/**
 * Every node's kubelet: a bound pod becomes Running and Ready after the start latency, with
 * an IP from the node's range (10.0.64.x on super nodes, 10.0.0.x elsewhere). Failure
 * injection: pods matching `neverReady` run but never pass readiness; pods matching `crash`
 * sit in CrashLoopBackOff.
 */
export class Kubelet {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly nextHost = new Map<string, number>();
  private startLatencyMs: number;
  private neverReady: { text: string; requirements: Requirement[] } | undefined;
  private crash: { text: string; requirements: Requirement[] } | undefined;
  constructor(private readonly options: KubeletOptions) {
    this.startLatencyMs = options.startLatencyMs;
  }

  /** Changes apply to pods that start afterwards; running pods keep their state. Returns the config now. */
  configure(config: KubeletConfig): Required<KubeletConfig> {
    if (config.startLatencyMs !== undefined) {
      if (!Number.isFinite(config.startLatencyMs) || config.startLatencyMs < 0) {
        throw new RangeError('startLatencyMs must be a non-negative number');
      }
      this.startLatencyMs = config.startLatencyMs;
    }
    // Parsed now so a bad selector is refused at configuration time.
    const selector = (text: string | null) =>
      text === null || text.trim() === '' ? undefined : { text, requirements: parseLabelSelector(text) };
    if (config.neverReady !== undefined) this.neverReady = selector(config.neverReady);
    if (config.crash !== undefined) this.crash = selector(config.crash);
    return this.config();
  }

  config(): Required<KubeletConfig> {
    return {
      startLatencyMs: this.startLatencyMs,
      neverReady: this.neverReady?.text ?? null,
      crash: this.crash?.text ?? null,
    };
  }

  private fateOf(pod: KubeObject): Fate {
    const labels = pod.metadata.labels;
    if (this.crash !== undefined && matchesRequirements(labels, this.crash.requirements)) return 'crash';
    if (this.neverReady !== undefined && matchesRequirements(labels, this.neverReady.requirements)) {
      return 'neverReady';
    }
    return 'ready';
  }

  sync(): void {
    const { api } = this.options;
    for (const pod of api.list(api.type('pods'), undefined)) {
      const uid = pod.metadata.uid ?? '';
      if (!pod.spec?.nodeName || pod.status?.phase !== 'Pending' || this.timers.has(uid)) continue;
      const timer = setTimeout(() => {
        this.timers.delete(uid);
        this.start(pod);
        this.options.onChange();
      }, this.startLatencyMs);
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
    const fate = this.fateOf(current);
    const ready = fate === 'ready';
    const updated = api.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      const unready = (p.spec.containers ?? []).map((c: { name: string }) => c.name).join(' ');
      const condition = (type: string) => {
        const gated = (type === 'Ready' || type === 'ContainersReady') && !ready;
        return {
          type,
          status: gated ? 'False' : 'True',
          lastProbeTime: null,
          lastTransitionTime: now,
          ...(gated
            ? {
                reason: 'ContainersNotReady',
                message: `containers with unready status: [${unready}]`,
              }
            : {}),
        };
      };
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
          state:
            fate === 'crash'
              ? {
                  waiting: {
                    reason: 'CrashLoopBackOff',
                    message: `back-off 10s restarting failed container=${c.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`,
                  },
                }
              : { running: { startedAt: now } },
          lastState:
            fate === 'crash'
              ? { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } }
              : {},
          ready,
          restartCount: fate === 'crash' ? 1 : 0,
          image: c.image,
          imageID: `${c.image}@sha256:${randomBytes(32).toString('hex')}`,
          containerID: `containerd://${randomBytes(32).toString('hex')}`,
          started: fate !== 'crash',
        })),
      };
    });
    if (updated !== undefined && fate === 'crash') {
      const names = (updated.spec.containers ?? []).map((c: { name: string }) => c.name).join(',');
      recordEvent(
        api,
        {
          involved: updated,
          type: 'Warning',
          reason: 'BackOff',
          message: `Back-off restarting failed container ${names} in pod ${updated.metadata.name}_${updated.metadata.namespace}(${updated.metadata.uid})`,
          component: 'kubelet',
          host: updated.spec.nodeName,
        },
        now,
      );
    }
  }
}
