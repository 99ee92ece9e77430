/** The resources the simulator serves, with what discovery and the Status bodies need to know. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  subresources: string[];
  /** Custom resources carry kind/apiVersion on list items and have generation bumps on spec change. */
  custom: boolean;
}

export const sgpGroup = 'vpcresources.tke.cloud.tencent.com';
export const sgpVersion = 'v1beta1';
export const sgpCrdName = `securitygrouppolicies.${sgpGroup}`;

const rbacGroup = 'rbac.authorization.k8s.io';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function type(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[] = [],
  subresources: string[] = [],
  custom = false,
): ResourceType {
  return {
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    shortNames,
    subresources,
    custom,
  };
}

export function resourceTypes(options: { securityGroupPolicyAddon: boolean }): ResourceType[] {
  const types = [
    type('', 'v1', 'namespaces', 'Namespace', false, ['ns'], ['status']),
    type('', 'v1', 'nodes', 'Node', false, ['no'], ['status']),
    type('', 'v1', 'pods', 'Pod', true, ['po'], ['status', 'eviction', 'log']),
    type('', 'v1', 'events', 'Event', true, ['ev']),
    type('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']),
    type('', 'v1', 'services', 'Service', true, ['svc'], ['status']),
    type('', 'v1', 'endpoints', 'Endpoints', true, ['ep']),
    type('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']),
    type('', 'v1', 'secrets', 'Secret', true),
    type('apps', 'v1', 'deployments', 'Deployment', true, ['deploy'], ['status', 'scale']),
    type('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs'], ['status', 'scale']),
    type('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts'], ['status', 'scale']),
    type('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds'], ['status']),
    type('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], ['status']),
    type(rbacGroup, 'v1', 'roles', 'Role', true),
    type(rbacGroup, 'v1', 'rolebindings', 'RoleBinding', true),
    type(rbacGroup, 'v1', 'clusterroles', 'ClusterRole', false),
    type(rbacGroup, 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
    type('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, [
      'crd',
      'crds',
    ]),
  ];
  if (options.securityGroupPolicyAddon) {
    types.push(
      type(sgpGroup, sgpVersion, 'securitygrouppolicies', 'SecurityGroupPolicy', true, ['sgp'], [], true),
    );
  }
  return types;
}

export function apiVersionOf(t: ResourceType): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

/** `deployments.apps`, `pods`: how the API server names a resource in messages. */
export function qualifiedName(t: ResourceType): string {
  return t.group === '' ? t.plural : `${t.plural}.${t.group}`;
}

export function discoveryResource(t: ResourceType): Record<string, unknown>[] {
  const main = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs,
    ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
    storageVersionHash: Buffer.from(t.plural).toString('base64').slice(0, 11),
  };
  const subs = t.subresources.map((sub) => ({
    name: `${t.plural}/${sub}`,
    singularName: '',
    namespaced: t.namespaced,
    kind: sub === 'eviction' ? 'Eviction' : sub === 'scale' ? 'Scale' : t.kind,
    ...(sub === 'eviction' ? { group: 'policy', version: 'v1' } : {}),
    ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
    verbs: sub === 'eviction' ? ['create'] : sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
  }));
  return [main, ...subs];
}
