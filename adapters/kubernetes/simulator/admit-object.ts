import type { FieldCause } from './api-status.ts';
import { defaultMoreKinds, validateMoreKinds } from './admit-more-kinds.ts';
import type { KubeObject } from './kube-object.ts';
import { matchesLabelSelector } from '../../../src/domain/label-selector.ts';
import type { ResourceType } from './resource-types.ts';
import { validateSecurityGroupPolicy } from './validate-security-group-policy.ts';

export interface AdmissionContext {
  /** RFC 3339 with second precision, like the API server writes timestamps. */
  timestamp(): string;
  allocateClusterIp(): string;
}

function defaultPod(pod: KubeObject): void {
  const spec = (pod.spec ??= {});
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  for (const c of (spec.containers ?? []) as Record<string, unknown>[]) {
    c['resources'] ??= {};
    c['terminationMessagePath'] ??= '/dev/termination-log';
    c['terminationMessagePolicy'] ??= 'File';
    const image = String(c['image'] ?? '');
    c['imagePullPolicy'] ??= image.endsWith(':latest') || !image.includes(':') ? 'Always' : 'IfNotPresent';
    for (const p of (c['ports'] ?? []) as Record<string, unknown>[]) p['protocol'] ??= 'TCP';
  }
  pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
}

function defaultDeployment(d: KubeObject): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate' };
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate = {
      maxSurge: '25%',
      maxUnavailable: '25%',
      ...(spec.strategy.rollingUpdate ?? {}),
    };
  }
  d.status ??= {};
}

function defaultService(s: KubeObject, ctx: AdmissionContext): void {
  const spec = (s.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  spec.clusterIP ??= ctx.allocateClusterIp();
  spec.clusterIPs ??= [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  for (const p of (spec.ports ?? []) as Record<string, unknown>[]) {
    p['protocol'] ??= 'TCP';
    p['targetPort'] ??= p['port'];
  }
  s.status ??= { loadBalancer: {} };
}

const moreKinds = new Set([
  'statefulsets',
  'daemonsets',
  'poddisruptionbudgets',
  'secrets',
  'configmaps',
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
]);

/** Fills in the defaults the real API server would, for a new object. */
export function defaultObject(t: ResourceType, object: KubeObject, ctx: AdmissionContext): void {
  if (t.plural === 'pods') defaultPod(object);
  if (t.plural === 'deployments') defaultDeployment(object);
  if (t.plural === 'replicasets') {
    object.spec ??= {};
    object.spec.replicas ??= 1;
    object.status ??= { replicas: 0 };
  }
  if (t.plural === 'services') defaultService(object, ctx);
  if (moreKinds.has(t.plural)) defaultMoreKinds(t, object);
  if (t.plural === 'namespaces') {
    object.metadata.labels = {
      ...(object.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': object.metadata.name,
    };
    object.spec = { finalizers: ['kubernetes'], ...(object.spec ?? {}) };
    object.status = { phase: 'Active' };
  }
  if (t.plural === 'events') {
    object.firstTimestamp ??= ctx.timestamp();
    object.lastTimestamp ??= object.firstTimestamp;
    object.count ??= 1;
  }
}

const namePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Field errors that make the server answer 422 Invalid. */
export function validateObject(t: ResourceType, object: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = object.metadata.name;
  if (name.length > 253 || !namePattern.test(name)) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  if (t.plural === 'securitygrouppolicies') causes.push(...validateSecurityGroupPolicy(object));
  causes.push(...validateMoreKinds(t, object));
  if (['deployments', 'replicasets', 'statefulsets', 'daemonsets'].includes(t.plural)) {
    const selector = object.spec?.selector;
    if (selector === undefined || selector === null) {
      causes.push({ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' });
    } else if (!matchesLabelSelector(selector, object.spec?.template?.metadata?.labels)) {
      causes.push({
        field: 'spec.template.metadata.labels',
        message: `Invalid value: ${JSON.stringify(object.spec?.template?.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``,
      });
    }
    if (
      !Array.isArray(object.spec?.template?.spec?.containers) ||
      object.spec.template.spec.containers.length === 0
    ) {
      causes.push({
        field: 'spec.template.spec.containers',
        message: 'Required value',
        reason: 'FieldValueRequired',
      });
    }
  }
  if (
    t.plural === 'pods' &&
    (!Array.isArray(object.spec?.containers) || object.spec.containers.length === 0)
  ) {
    causes.push({ field: 'spec.containers', message: 'Required value', reason: 'FieldValueRequired' });
  }
  return causes;
}
