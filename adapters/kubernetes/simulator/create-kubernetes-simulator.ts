import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApi } from './admin-api.ts';
import { createControllerLoop } from './controller-loop.ts';
import { reconcileDaemonSets } from './daemonset-controller.ts';
import { reconcileDeployments } from './deployment-controller.ts';
import { reconcileEndpoints } from './endpoints-controller.ts';
import type { FaultPlan, FaultRule } from './fault-injector.ts';
import { FaultInjector } from './fault-injector.ts';
import { CallHolds } from './call-holds.ts';
import { createHttpHandler } from './http-handler.ts';
import type { KubeObject } from './kube-object.ts';
import type { KubeletConfig } from './kubelet.ts';
import { Kubelet } from './kubelet.ts';
import type { NetworkModel } from './network-model.ts';
import { ObjectJournal } from './object-journal.ts';
import { ObjectStore } from './object-store.ts';
import { PodLogs } from './pod-logs.ts';
import { PodNetwork } from './pod-network.ts';
import { reconcileDisruptionBudgets } from './pod-disruption-budgets.ts';
import { reconcileReplicaSets } from './replica-set-controller.ts';
import type { ListOptions } from './resource-api.ts';
import { ResourceApi } from './resource-api.ts';
import { resourceTypes } from './resource-types.ts';
import { schedulePods } from './scheduler.ts';
import { SecurityGroupAdmission } from './security-group-admission.ts';
import { securityGroupPolicyCrd } from './security-group-policy-crd.ts';
import { reconcileStatefulSets } from './statefulset-controller.ts';

export interface KubernetesSimulatorOptions {
  now?: () => Date;
  /** How long a bound pod takes to become Running/Ready (default 50 ms). */
  podStartLatencyMs?: number;
  /** When set, every API request needs `Authorization: Bearer <token>` (the admin API does not). */
  token?: string;
  /** Serve the SecurityGroupPolicy CRD and resource (default true). */
  securityGroupPolicyAddon?: boolean;
  port?: number;
  /** How often watches with `allowWatchBookmarks=true` get a BOOKMARK (default 60 s, like the real server). */
  watchBookmarkIntervalMs?: number;
  /** How many changes watches can resume from before 410 Gone (default 20 000). */
  watchHistoryLimit?: number;
  /** Called when a controller pass throws; defaults to rethrowing on the next tick. */
  onControllerError?: (error: unknown) => void;
  /**
   * The cloud's security groups (off by default: nothing filters traffic, no group is checked).
   * With it, a pod naming a missing group never starts, and probe pods see the groups' rules.
   * `networkFromEmulator(emulator, { region, clusterGroupId })` builds one.
   */
  network?: NetworkModel;
  /** How long a pod whose sandbox failed (missing group) waits before the kubelet tries again (default 5 s). */
  sandboxRetryMs?: number;
  /**
   * Keep the objects in this directory (snapshot and journal): a simulator opened on it again
   * resumes the same objects and resourceVersions. Default: memory only.
   */
  stateDir?: string;
  /** Serve HTTPS with this key and certificate (PEM), as a real API server does. Default: plain HTTP. */
  tls?: { key: string; cert: string };
}

export interface SimulatorState {
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

export interface KubernetesSimulator {
  /** True when `stateDir` held a world that was loaded instead of a fresh one. */
  readonly restored: boolean;
  /** `port` overrides the option's for this start (0: a free one). */
  start(port?: number): Promise<{ url: string; adminUrl: string }>;
  stop(): Promise<void>;
  /** The in-process API (no auth, not counted): the same semantics as the HTTP front. */
  readonly api: ResourceApi;
  create(plural: string, namespace: string | undefined, body: KubeObject): KubeObject;
  get(plural: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(plural: string, namespace?: string, options?: ListOptions): KubeObject[];
  patch(
    plural: string,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    contentType?: string,
  ): KubeObject;
  delete(plural: string, namespace: string | undefined, name: string): void;
  /** `{"list pods": 3, …}` since start or the last reset; the keys match `clusterActions`. */
  calls(): Record<string, number>;
  resetCalls(): void;
  state(): SimulatorState;
  /** Resolves when the controllers have nothing left to do right now (pods may still be starting). */
  settle(): Promise<void>;
  /** Start latency and failure injection for pods that start from now on; returns the whole config. */
  configureKubelet(config: KubeletConfig): Required<KubeletConfig>;
  /** Replaces the API fault plan (`POST /_admin/faults` does the same). */
  injectFaults(plan: FaultPlan): void;
  clearFaults(): void;
  /** The fault rules with how often each fired. */
  faults(): (FaultRule & { fired: number })[];
  /** Requests held before or after they apply, for crash tests (`/_admin/holds` does the same). */
  readonly holds: CallHolds;
  /** Ends every open watch, as an API server restart would; returns how many there were. */
  closeWatches(): number;
  /** A pod's log as `GET …/pods/{name}/log` serves it (probe output); undefined when there is none yet. */
  podLog(namespace: string, name: string): string | undefined;
}

/** Second-precision RFC 3339, as the API server writes timestamps. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An in-process Kubernetes API server with controllers and TKE super-node behaviour. */
export function createKubernetesSimulator(options: KubernetesSimulatorOptions = {}): KubernetesSimulator {
  const now = options.now ?? (() => new Date());
  const timestamp = () => rfc3339(now());
  const store = new ObjectStore(options.watchHistoryLimit);
  const opened = options.stateDir === undefined ? undefined : ObjectJournal.open(options.stateDir);
  if (opened?.restored !== undefined) store.load(opened.restored);
  const state = (): SimulatorState => ({
    resourceVersion: store.resourceVersion,
    objects: Object.fromEntries(store.plurals().map((p) => [p, store.list(p)])),
  });
  if (opened !== undefined) store.subscribe((event) => opened.journal.append(event, state));
  let nextClusterIp = 10;
  const types = resourceTypes({ securityGroupPolicyAddon: options.securityGroupPolicyAddon ?? true });
  // The admission needs the api to read policies, and the api calls the admission on pod creation.
  const hooks: { admission?: SecurityGroupAdmission } = {};
  const api = new ResourceApi({
    store,
    types,
    admission: {
      timestamp,
      allocateClusterIp: () => {
        // Skips addresses that services restored from disk already hold.
        const taken = new Set<string>();
        store.scan('services', (s) => taken.add(String(s.spec?.clusterIP)));
        for (let tries = 0; tries < 250; tries += 1) {
          const ip = `172.16.252.${nextClusterIp++ % 250}`;
          if (!taken.has(ip)) return ip;
        }
        return `172.16.252.${nextClusterIp++ % 250}`;
      },
    },
    onCreate: (t, object) => {
      if (t.plural === 'pods') hooks.admission?.admitPod(object);
    },
  });
  const sgAdmission = new SecurityGroupAdmission(api);
  hooks.admission = sgAdmission;
  const restored = opened?.restored !== undefined;
  if (!restored) {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      api.create(api.type('namespaces'), undefined, { metadata: { name: ns } });
    }
    if (options.securityGroupPolicyAddon ?? true) {
      api.create(api.type('customresourcedefinitions'), undefined, securityGroupPolicyCrd());
    }
  }

  const onError =
    options.onControllerError ??
    ((error: unknown) => {
      setImmediate(() => {
        throw error;
      });
    });
  // eslint-disable-next-line prefer-const -- the kubelet and the loop refer to each other
  let loop: ReturnType<typeof createControllerLoop>;
  const logs = new PodLogs();
  const kubelet = new Kubelet({
    api,
    startLatencyMs: options.podStartLatencyMs ?? 50,
    timestamp,
    onChange: (namespace) => loop.kickNamespace(namespace),
    network: new PodNetwork(api, options.network),
    logs,
    sandboxRetryMs: options.sandboxRetryMs,
  });
  loop = createControllerLoop(
    store,
    (scope) => {
      reconcileDeployments(api, timestamp, (ms) => loop.kickAfter(ms), scope);
      reconcileReplicaSets(api, scope);
      reconcileStatefulSets(api, scope);
      reconcileDaemonSets(api, scope);
      schedulePods(api, sgAdmission, timestamp, scope);
      kubelet.sync(scope);
      reconcileEndpoints(api, timestamp, scope);
      reconcileDisruptionBudgets(api, timestamp, scope);
    },
    onError,
  );

  const calls = new Map<string, number>();
  const openWatches = new Set<ServerResponse>();
  const faults = new FaultInjector();
  const holds = new CallHolds();
  const closeWatches = () => {
    const count = openWatches.size;
    for (const res of [...openWatches]) res.end();
    openWatches.clear();
    return count;
  };
  let server: Server | undefined;

  return {
    restored,
    api,
    holds,
    async start(port = options.port ?? 0) {
      const admin = createAdminApi({ calls, state, kubelet, faults, holds, closeWatches });
      const handler = createHttpHandler({
        api,
        store,
        token: options.token,
        now,
        calls,
        openWatches,
        admin,
        faults,
        holds,
        logs,
        bookmarkIntervalMs: options.watchBookmarkIntervalMs ?? 60_000,
      });
      server = options.tls === undefined ? createServer(handler) : createTlsServer(options.tls, handler);
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, '127.0.0.1', () => resolve());
      }).catch((error: unknown) => {
        server = undefined;
        throw error;
      });
      const bound = (listening.address() as AddressInfo).port;
      loop.kick();
      const url = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${bound}`;
      return { url, adminUrl: `${url}/_admin` };
    },
    async stop() {
      loop.stop();
      kubelet.stop();
      closeWatches();
      opened?.journal.compact(state());
      const running = server;
      server = undefined;
      if (running === undefined) return;
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
    create: (plural, namespace, body) => api.create(api.type(plural), namespace, body),
    get: (plural, namespace, name) => api.find(plural, namespace, name),
    list: (plural, namespace, listOptions) => api.list(api.type(plural), namespace, listOptions),
    patch: (plural, namespace, name, patch, contentType = 'application/merge-patch+json') =>
      api.patch(api.type(plural), namespace, name, contentType, patch),
    delete: (plural, namespace, name) => {
      api.delete(api.type(plural), namespace, name);
    },
    calls: () => Object.fromEntries(calls),
    resetCalls: () => calls.clear(),
    state,
    settle: () => loop.settle(),
    configureKubelet: (config) => {
      const result = kubelet.configure(config);
      loop.kick();
      return result;
    },
    injectFaults: (plan) => faults.configure(plan),
    clearFaults: () => faults.clear(),
    faults: () => faults.describe(),
    closeWatches,
    podLog: (namespace, name) => {
      const pod = api.find('pods', namespace, name);
      if (pod === undefined) return undefined;
      try {
        return logs.read(pod, null, null);
      } catch {
        return undefined;
      }
    },
  };
}
