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
}

export interface EventInfo {
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string; uid?: string };
  createdAt: string;
}

export interface WorkloadStatus {
  generation: number;
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
}

export interface DeploymentInfo {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  selector: LabelSelector;
  /** The pod template's labels, nodeSelector and tolerations: what new pods will look like. */
  template: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    nodeSelector: Record<string, string>;
    tolerations: { key?: string; operator?: string; value?: string; effect?: string }[];
  };
  specReplicas: number;
  status: WorkloadStatus;
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

export interface Cluster {
  /** Whether the SecurityGroupPolicy CRD is served (the add-on's footprint in the cluster). */
  getSecurityGroupPolicyCrd(): Promise<{ name: string; versions: string[] } | null>;
  getNamespace(name: string): Promise<{ name: string; phase: string } | null>;
  createNamespace(name: string): Promise<void>;
  listNodes(): Promise<NodeInfo[]>;
  listPods(namespace: string, labelSelector: string): Promise<PodInfo[]>;
  /** Events about one object (fieldSelector involvedObject.name). */
  listEvents(namespace: string, involvedObjectName: string): Promise<EventInfo[]>;
  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSetInfo[]>;
  getDeployment(namespace: string, name: string): Promise<DeploymentInfo | null>;
  /** What `kubectl rollout restart` does: a merge patch of the template's restartedAt annotation. */
  restartDeployment(namespace: string, name: string, restartedAt: string): Promise<DeploymentInfo>;
  getSecurityGroupPolicy(namespace: string, name: string): Promise<SecurityGroupPolicyInfo | null>;
  createSecurityGroupPolicy(policy: SecurityGroupPolicyInfo): Promise<SecurityGroupPolicyInfo>;
  /** Full replace; `policy.resourceVersion` must be current (409 → K8S_CONFLICT). */
  replaceSecurityGroupPolicy(policy: SecurityGroupPolicyInfo): Promise<SecurityGroupPolicyInfo>;
  deleteSecurityGroupPolicy(namespace: string, name: string): Promise<void>;
}

/** "<verb> <resource>" per port method: the audit trail's `action`, and the simulator's counter key. */
export const clusterActions: Record<keyof Cluster, string> = {
  getSecurityGroupPolicyCrd: 'get customresourcedefinitions',
  getNamespace: 'get namespaces',
  createNamespace: 'create namespaces',
  listNodes: 'list nodes',
  listPods: 'list pods',
  listEvents: 'list events',
  listReplicaSets: 'list replicasets',
  getDeployment: 'get deployments',
  restartDeployment: 'patch deployments',
  getSecurityGroupPolicy: 'get securitygrouppolicies',
  createSecurityGroupPolicy: 'create securitygrouppolicies',
  replaceSecurityGroupPolicy: 'update securitygrouppolicies',
  deleteSecurityGroupPolicy: 'delete securitygrouppolicies',
};
