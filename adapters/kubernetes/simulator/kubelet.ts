import { randomBytes } from 'node:crypto';
import { superNodeLabel } from '../../../src/ports/cluster.ts';
import type { PassScope } from './controller-loop.ts';
import type { KubeObject } from './kube-object.ts';
import type { Requirement } from './label-selector.ts';
import { matchesRequirements, parseLabelSelector } from './label-selector.ts';
import { failPodSandbox } from './fail-pod-sandbox.ts';
import { finishProbePod } from './finish-probe-pod.ts';
import type { PodLogs } from './pod-logs.ts';
import type { PodNetwork } from './pod-network.ts';
import { probeSpecOf } from './probe-spec.ts';
import { recordEvent } from './record-event.ts';
import type { ResourceApi } from './resource-api.ts';
import { runProbe } from './run-probe.ts';

/** Runtime knobs; a selector is a `labelSelector` string, empty or null to clear it. */
export interface KubeletConfig {
  startLatencyMs?: number;
  /** Pods matching this start (Running) but never become Ready. */
  neverReady?: string | null;
  /** Pods matching this crash on start and stay in CrashLoopBackOff. */
  crash?: string | null;
}

type Fate = 'ready' | 'neverReady' | 'crash' | 'probe';

/** CVM's error for an instance bound to more security groups than InstanceSecurityGroupLimit. */
const associateLimitCode = 'LimitExceeded.AssociateUSGLimitExceeded';

export interface KubeletOptions {
  api: ResourceApi;
  startLatencyMs: number;
  timestamp: () => string;
  /** Called after a pod changed on a timer, so controllers look again at its namespace. */
  onChange: (namespace: string) => void;
  /** Reachability for probe pods, and (with a network model) the check that a pod's groups exist. */
  network: PodNetwork;
  logs: PodLogs;
  /** How long a pod whose sandbox failed waits before the next attempt (default 5 000 ms). */
  sandboxRetryMs?: number;
}

/**
 * Every node's kubelet: a bound pod becomes Running and Ready after the start latency, with
 * an IP from the node's range (10.0.64.x on super nodes, 10.0.0.x elsewhere). Failure
 * injection: pods matching `neverReady` run but never pass readiness; pods matching `crash`
 * sit in CrashLoopBackOff. With a network model, a pod naming a missing security group, or more
 * groups than an instance may carry, stays in ContainerCreating (retried);
 * probe pods run their checks once and end Succeeded or Failed.
 */
export class Kubelet {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Pods waiting on the network model (group check or probe): not armed again meanwhile. */
  private readonly busy = new Set<string>();
  /** The FailedCreatePodSandBox event of each pod, whose count grows on retries. */
  private readonly sandboxEvents = new Map<string, string>();
  private stopped = false;
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

  sync(scope?: PassScope): void {
    const { api } = this.options;
    const starting = api.listScoped(api.type('pods'), scope, {
      where: (p) => Boolean(p.spec?.nodeName) && p.status?.phase === 'Pending',
    });
    for (const pod of starting) {
      const uid = pod.metadata.uid ?? '';
      if (this.timers.has(uid) || this.busy.has(uid)) continue;
      this.arm(pod, this.startLatencyMs);
    }
    const alive = new Set<string>();
    api.scan('pods', (p) => alive.add(p.metadata.uid ?? ''));
    this.options.logs.retain(alive);
    for (const uid of this.sandboxEvents.keys()) if (!alive.has(uid)) this.sandboxEvents.delete(uid);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(pod: KubeObject, delayMs: number): void {
    const uid = pod.metadata.uid ?? '';
    const timer = setTimeout(() => {
      this.timers.delete(uid);
      const { network } = this.options;
      // Ordinary pods start synchronously, as before the network model existed.
      const checked = network.checksGroups && network.annotatedGroups(pod).length > 0;
      if (!checked && probeSpecOf(pod) === undefined) {
        this.start(pod);
        this.options.onChange(pod.metadata.namespace ?? '');
        return;
      }
      this.busy.add(uid);
      void this.launch(pod).finally(() => {
        this.busy.delete(uid);
        if (!this.stopped) this.options.onChange(pod.metadata.namespace ?? '');
      });
    }, delayMs);
    this.timers.set(uid, timer);
  }

  /** Creates the sandbox (see groupProblem), starts the pod, and runs its probe. */
  private async launch(pod: KubeObject): Promise<void> {
    const { network } = this.options;
    let problem: string | undefined;
    try {
      problem = await this.groupProblem(pod);
    } catch (error) {
      // The cloud could not be read: the sandbox fails this time and is retried.
      problem = error instanceof Error ? error.message : String(error);
    }
    if (this.stopped) return;
    if (problem !== undefined) {
      this.sandboxFailed(pod, `Failed to create pod sandbox: ${problem}`);
      return;
    }
    const parsed = probeSpecOf(pod);
    const started = this.start(pod, parsed !== undefined);
    if (started === undefined || parsed === undefined || started.status?.phase !== 'Running') return;
    if (!isProbing(started)) return;
    this.options.onChange(pod.metadata.namespace ?? '');
    const outcome =
      'error' in parsed
        ? { ok: false, log: `${parsed.error}\n` }
        : await runProbe(network, started, parsed.spec);
    if (this.stopped) return;
    this.options.logs.set(started.metadata.uid ?? '', outcome.log);
    finishProbePod(this.options.api, started, outcome.ok, this.options.timestamp());
  }

  /**
   * Why the pod's ENI cannot get the groups it names: more than an instance may carry (checked
   * first; which one real TKE reports first is not documented), or groups that do not exist.
   */
  private async groupProblem(pod: KubeObject): Promise<string | undefined> {
    const { network } = this.options;
    const excess = await network.excessGroups(pod);
    if (excess !== undefined) {
      // The code is CVM's documented one for binding more groups than an instance may carry
      // (cvm/v20170312 errors.go); the rest of the wording is ours, as eklet's is undocumented.
      return `${associateLimitCode}: the pod names ${excess.count} security groups, an instance may have at most ${excess.limit}`;
    }
    const missing = await network.missingGroups(pod);
    if (missing.length === 0) return undefined;
    const noun = missing.length === 1 ? 'security group' : 'security groups';
    return `${noun} ${missing.join(', ')} not found`;
  }

  private sandboxFailed(pod: KubeObject, message: string): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid ?? '';
    const { api, timestamp } = this.options;
    const current = api.find('pods', pod.metadata.namespace, pod.metadata.name);
    if (current === undefined || current.metadata.uid !== uid) return;
    const event = failPodSandbox(api, current, message, timestamp(), this.sandboxEvents.get(uid));
    if (event !== undefined) this.sandboxEvents.set(uid, event);
    this.arm(current, this.options.sandboxRetryMs ?? 5_000);
  }

  /**
   * The next free address of the node's range, wrapping at .254. An address a live pod still holds
   * is skipped, as the VPC's IPAM never hands one out twice (without this, a long-lived world with
   * more than 250 pod starts gave two running pods one IP, and probes reached the wrong one).
   */
  private allocateIp(superNode: boolean): string {
    const prefix = superNode ? '10.0.64.' : '10.0.0.';
    const first = superNode ? 2 : 10;
    const held = new Set<string>();
    this.options.api.scan('pods', (p) => {
      const phase = p.status?.phase;
      if (p.status?.podIP && phase !== 'Succeeded' && phase !== 'Failed') held.add(String(p.status.podIP));
    });
    let next = this.nextHost.get(prefix) ?? first;
    for (let tries = first; tries <= 254 && held.has(`${prefix}${next}`); tries += 1)
      next = next >= 254 ? first : next + 1;
    this.nextHost.set(prefix, next >= 254 ? first : next + 1);
    return `${prefix}${next}`;
  }

  /** Runs the pod's containers; a probe pod runs unready until its checks are done. */
  private start(pod: KubeObject, probe = false): KubeObject | undefined {
    const { api, timestamp } = this.options;
    const node = api.find('nodes', undefined, pod.spec.nodeName);
    const current = api.find('pods', pod.metadata.namespace, pod.metadata.name);
    if (node === undefined || current === undefined || current.metadata.uid !== pod.metadata.uid)
      return undefined;
    const superNode = node.metadata.labels?.[superNodeLabel.key] === superNodeLabel.value;
    const ip = this.allocateIp(superNode);
    // On a super node every pod is its own lightweight VM, so its host IP is its own IP.
    const nodeIp = (node.status?.addresses ?? []).find(
      (a: { type: string }) => a.type === 'InternalIP',
    )?.address;
    const hostIp = superNode ? ip : (nodeIp ?? ip);
    const now = timestamp();
    const fated = this.fateOf(current);
    const fate: Fate = probe && fated === 'ready' ? 'probe' : fated;
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
    return updated;
  }
}

/** Started as a probe: running, its container not ready (a crash-injected probe never probes). */
function isProbing(pod: KubeObject): boolean {
  return ((pod.status?.containerStatuses ?? []) as { state?: { running?: unknown } }[]).some(
    (s) => s.state?.running !== undefined,
  );
}
