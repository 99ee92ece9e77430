/**
 * The narrow port over the Kubernetes API. One method is one HTTP request, so the audit
 * decorator records each request exactly once; the action names ("list pods") match the
 * simulator's request counters.
 */
export const superNodeLabel = { key: 'node.kubernetes.io/instance-type', value: 'eklet' } as const;
export const superNodeTaintKey = 'eks.tke.cloud.tencent.com/eklet';
export const securityGroupAnnotation = 'eks.tke.cloud.tencent.com/security-group-id';
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';
export const notSuperNodeReason = 'security groups is only support super node';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Labelled node.kubernetes.io/instance-type=eklet */
  superNode: boolean;
}

export interface OwnerRef {
  kind: string;
  name: string;
  uid: string;
}

export interface PodInfo {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  serviceAccountName: string;
  nodeName: string | null;
  phase: string;
  ready: boolean;
  createdAt: string;
  owners: OwnerRef[];
  /** Parsed from the security-group annotation; empty when the pod has none. */
  securityGroupIds: string[];
  /** Its IPv4 address (status.podIP), once it has one: `explain` follows packets to and from it. */
  ip?: string;
  /** Being deleted (a deletionTimestamp): an old pod on its way out. */
  terminating?: boolean;
}

export interface EventInfo {
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string; uid?: string };
  createdAt: string;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
}

/** Where a rollout stands, judged the way `kubectl rollout status` judges it for the kind. */
export interface RolloutStatus {
  complete: boolean;
  /** The reason, when the rollout will not finish by waiting (progress deadline exceeded). */
  stalled: string | null;
  desired: number;
  updated: number;
  ready: number;
  available: number;
}

export interface WorkloadInfo {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  /** The pod template's labels, nodeSelector and tolerations: what new pods will look like. */
  template: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    nodeSelector: Record<string, string>;
    tolerations: { key?: string; operator?: string; value?: string; effect?: string }[];
  };
  rollout: RolloutStatus;
}

export interface ReplicaSetInfo {
  name: string;
  namespace: string;
  uid: string;
  owners: OwnerRef[];
}

export interface SecurityGroupPolicyInfo {
  name: string;
  namespace: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  podSelector?: LabelSelector;
  serviceAccountSelector?: LabelSelector;
  groupIds: string[];
  createdAt?: string;
}

/** One change to a SecurityGroupPolicy, as a watch tells it. */
export interface SecurityGroupPolicyChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  namespace: string;
  name: string;
}

/** A pod as a watch tells it: as it is now, or as it was last seen when it is deleted. */
export interface PodChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  pod: PodInfo;
}

export interface ServiceAccountInfo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export interface Cluster {
  /** Whether the SecurityGroupPolicy CRD is served (the add-on's footprint in the cluster). */
  getSecurityGroupPolicyCrd(): Promise<{ name: string; versions: string[] } | null>;
  getNamespace(name: string): Promise<{ name: string; phase: string } | null>;
  /** The names of every namespace: what a mistyped one is compared with. */
  listNamespaces(): Promise<string[]>;
  createNamespace(name: string): Promise<void>;
  listNodes(): Promise<NodeInfo[]>;
  /** `fieldSelector` (e.g. `spec.serviceAccountName=api`) narrows the list further when given. */
  listPods(namespace: string, labelSelector: string, fieldSelector?: string): Promise<PodInfo[]>;
  /** Events about one object (fieldSelector involvedObject.name). */
  listEvents(namespace: string, involvedObjectName: string): Promise<EventInfo[]>;
  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSetInfo[]>;
  getWorkload(namespace: string, ref: WorkloadRef): Promise<WorkloadInfo | null>;
  /** What `kubectl rollout restart` does: a merge patch of the template's restartedAt annotation. */
  restartWorkload(namespace: string, ref: WorkloadRef, restartedAt: string): Promise<WorkloadInfo>;
  /**
   * Watches one workload (a single watch request) until its rollout completes or stalls, the time
   * is up or `signal` aborts; answers the last state seen. Waiting costs one request however many
   * pods there are and however long they take.
   */
  waitForRollout(
    namespace: string,
    ref: WorkloadRef,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<WorkloadInfo>;
  getSecurityGroupPolicy(namespace: string, name: string): Promise<SecurityGroupPolicyInfo | null>;
  createSecurityGroupPolicy(policy: SecurityGroupPolicyInfo): Promise<SecurityGroupPolicyInfo>;
  /** Full replace; `policy.resourceVersion` must be current (409 → K8S_CONFLICT). */
  replaceSecurityGroupPolicy(policy: SecurityGroupPolicyInfo): Promise<SecurityGroupPolicyInfo>;
  deleteSecurityGroupPolicy(namespace: string, name: string): Promise<void>;
  /** Every SecurityGroupPolicy in one namespace, or in all namespaces when none is given. */
  listSecurityGroupPolicies(namespace?: string): Promise<SecurityGroupPolicyInfo[]>;
  /**
   * Watches the policies of every namespace (one cluster-wide watch request) until `signal` aborts,
   * then resolves. The policies there when it starts come first as ADDED. A connection the server
   * ends is resumed from the last resourceVersion seen; when that is too old (410 Gone) the policies
   * are listed again and what changed meanwhile is told (DELETED for those gone). Any other failure
   * rejects: the caller decides when to watch again.
   */
  watchSecurityGroupPolicies(
    onChange: (change: SecurityGroupPolicyChange) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * Every pod of the cluster, told as it changes (the initial state as ADDED), until `signal` aborts:
   * one watch request, resumed and relisted as the policy watch is.
   */
  watchPods(onChange: (change: PodChange) => void, signal: AbortSignal): Promise<void>;
  /** The service accounts of one namespace, with their labels (what a serviceAccountSelector matches). */
  listServiceAccounts(namespace: string): Promise<ServiceAccountInfo[]>;
  getServiceAccount(namespace: string, name: string): Promise<ServiceAccountInfo | null>;
  /** A merge patch of the service account's labels: a null value removes that label. */
  patchServiceAccountLabels(
    namespace: string,
    name: string,
    labels: Record<string, string | null>,
  ): Promise<ServiceAccountInfo>;
}

const workloadPlurals: Record<WorkloadKind, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

export const workloadPlural = (kind: WorkloadKind) => workloadPlurals[kind];

type ActionOf = string | ((args: readonly unknown[]) => string);
const ofWorkload = (verb: string) => (args: readonly unknown[]) =>
  `${verb} ${workloadPlural((args[1] as WorkloadRef).kind)}`;

/**
 * "<verb> <resource>" per port method: the audit trail's `action`, and the simulator's counter key.
 * Workload methods name the kind's resource, so the action depends on the arguments.
 */
export const clusterActions: Record<keyof Cluster, ActionOf> = {
  getSecurityGroupPolicyCrd: 'get customresourcedefinitions',
  getNamespace: 'get namespaces',
  listNamespaces: 'list namespaces',
  createNamespace: 'create namespaces',
  listNodes: 'list nodes',
  listPods: 'list pods',
  listEvents: 'list events',
  listReplicaSets: 'list replicasets',
  getWorkload: ofWorkload('get'),
  restartWorkload: ofWorkload('patch'),
  waitForRollout: ofWorkload('watch'),
  getSecurityGroupPolicy: 'get securitygrouppolicies',
  createSecurityGroupPolicy: 'create securitygrouppolicies',
  replaceSecurityGroupPolicy: 'update securitygrouppolicies',
  deleteSecurityGroupPolicy: 'delete securitygrouppolicies',
  listSecurityGroupPolicies: 'list securitygrouppolicies',
  watchSecurityGroupPolicies: 'watch securitygrouppolicies',
  watchPods: 'watch pods',
  listServiceAccounts: 'list serviceaccounts',
  getServiceAccount: 'get serviceaccounts',
  patchServiceAccountLabels: 'patch serviceaccounts',
};

/** The action of one call, resolved from its arguments when it depends on them. */
export function clusterActionOf(method: keyof Cluster, args: readonly unknown[]): string {
  const action = clusterActions[method];
  return typeof action === 'function' ? action(args) : action;
}
