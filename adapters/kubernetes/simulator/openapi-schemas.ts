import type { ResourceType } from './resource-types.ts';

/** An OpenAPI v3 schema, as far as `kubectl explain` reads one. */
export interface OpenApiSchema {
  type?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  allOf?: OpenApiSchema[];
  $ref?: string;
  format?: string;
  [extension: `x-${string}`]: unknown;
}

export const objectMetaName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const conventions = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';
const string = (description: string): OpenApiSchema => ({ type: 'string', description });
const stringMap = (description: string): OpenApiSchema => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});
const object = (description: string): OpenApiSchema => ({ type: 'object', description });
const list = (description: string): OpenApiSchema => ({
  type: 'array',
  items: { type: 'object' },
  description,
});

/** The fields every object has, described as kube-apiserver's published schemas describe them. */
export const typeMetaProperties: Record<string, OpenApiSchema> = {
  apiVersion: string(
    `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${conventions}#resources`,
  ),
  kind: string(
    `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${conventions}#types-kinds`,
  ),
  metadata: {
    allOf: [{ $ref: `#/components/schemas/${objectMetaName}` }],
    description: `Standard object's metadata. More info: ${conventions}#metadata`,
  },
};

/** ObjectMeta's essential fields (the ones the simulator keeps). */
export const objectMetaSchema: OpenApiSchema = {
  type: 'object',
  description:
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  properties: {
    name: string('Name must be unique within a namespace. Cannot be updated.'),
    generateName: string(
      'An optional prefix the server uses to generate a unique name, if name is not given.',
    ),
    namespace: string(
      'Namespace defines the space within which each name must be unique. Cannot be updated.',
    ),
    uid: string(
      'UID is the unique in time and space value for this object. Populated by the system. Read-only.',
    ),
    resourceVersion: string(
      'An opaque value that represents the internal version of this object, used for optimistic concurrency, change detection, and the watch operation. Populated by the system. Read-only.',
    ),
    generation: {
      type: 'integer',
      format: 'int64',
      description:
        'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.',
    },
    creationTimestamp: string(
      'A timestamp representing the server time when this object was created. Read-only.',
    ),
    deletionTimestamp: string('RFC 3339 date and time at which this resource will be deleted. Read-only.'),
    labels: stringMap('Map of string keys and values that can be used to organize and categorize objects.'),
    annotations: stringMap('Annotations is an unstructured key value map stored with a resource.'),
    ownerReferences: list('List of objects depended by this object, which are garbage collected with it.'),
    finalizers: {
      type: 'array',
      items: { type: 'string' },
      description: 'Must be empty before the object is deleted from the registry.',
    },
  },
};

/** A built-in kind's top-level fields besides apiVersion, kind and metadata. */
function builtInFields(t: ResourceType): Record<string, OpenApiSchema> {
  const name = t.kind.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : ` ${c}`)).toLowerCase();
  switch (t.kind) {
    case 'ConfigMap':
      return {
        data: stringMap('Data contains the configuration data.'),
        binaryData: stringMap('BinaryData contains the binary data, base64-encoded.'),
        immutable: {
          type: 'boolean',
          description: 'Immutable, if set to true, ensures that data cannot be updated.',
        },
      };
    case 'Secret':
      return {
        data: stringMap('Data contains the secret data, base64-encoded.'),
        stringData: stringMap(
          'stringData allows specifying non-binary secret data in string form; write-only.',
        ),
        type: string('Used to facilitate programmatic handling of secret data.'),
        immutable: {
          type: 'boolean',
          description: 'Immutable, if set to true, ensures that data cannot be updated.',
        },
      };
    case 'Endpoints':
      return { subsets: list('The set of all endpoints is the union of all subsets.') };
    case 'Event':
      return {
        involvedObject: object('The object that this event is about.'),
        reason: string(
          'This should be a short, machine understandable string that gives the reason for the transition.',
        ),
        message: string('A human-readable description of the status of this operation.'),
        type: string('Type of this event (Normal, Warning).'),
        count: { type: 'integer', description: 'The number of times this event has occurred.' },
        firstTimestamp: string('The time at which the event was first recorded.'),
        lastTimestamp: string('The time at which the most recent occurrence of this event was recorded.'),
        source: object('The component reporting this event.'),
      };
    case 'ServiceAccount':
      return {
        secrets: list(
          'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
        ),
        imagePullSecrets: list(
          'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling images.',
        ),
        automountServiceAccountToken: {
          type: 'boolean',
          description:
            'Whether pods running as this service account should have an API token automatically mounted.',
        },
      };
    case 'Role':
    case 'ClusterRole':
      return { rules: list(`Rules holds all the PolicyRules for this ${t.kind}.`) };
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return {
        roleRef: object(
          'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
        ),
        subjects: list('Subjects holds references to the objects the role applies to.'),
      };
    default:
      return {
        spec: object(
          `Specification of the desired behavior of the ${name}. More info: ${conventions}#spec-and-status`,
        ),
        status: object(
          `Most recently observed status of the ${name}. This data may not be up to date. Populated by the system. Read-only. More info: ${conventions}#spec-and-status`,
        ),
      };
  }
}

/** The first sentence of each built-in kind's description in kube-apiserver's schemas. */
const kindDescriptions: Record<string, string> = {
  Namespace: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  Node: 'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
  Pod: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  Event: 'Event is a report of an event somewhere in the cluster.',
  ServiceAccount:
    'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  Service:
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  Endpoints: 'Endpoints is a collection of endpoints that implement the actual service.',
  ConfigMap: 'ConfigMap holds configuration data for pods to consume.',
  Secret: 'Secret holds secret data of a certain type.',
  Deployment: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  ReplicaSet: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  StatefulSet: 'StatefulSet represents a set of pods with consistent identities.',
  DaemonSet: 'DaemonSet represents the configuration of a daemon set.',
  PodDisruptionBudget:
    'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods',
  Role: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
  RoleBinding: 'RoleBinding references a role, but does not contain it.',
  ClusterRole:
    'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
  ClusterRoleBinding: 'ClusterRoleBinding references a ClusterRole, but not contain it.',
  CustomResourceDefinition:
    'CustomResourceDefinition represents a resource that should be exposed on the API server.',
};

/** A built-in kind's schema: its description and top-level fields, enough for `kubectl explain <kind>`. */
export function builtInSchema(t: ResourceType): OpenApiSchema {
  return {
    type: 'object',
    ...(kindDescriptions[t.kind] === undefined ? {} : { description: kindDescriptions[t.kind] }),
    properties: { ...typeMetaProperties, ...builtInFields(t) },
  };
}

/**
 * A custom resource's schema as the apiextensions server publishes it: the CRD version's
 * openAPIV3Schema, with apiVersion, kind and metadata described as for every object.
 */
export function customResourceSchema(crdSchema: unknown): OpenApiSchema {
  const schema = (crdSchema ?? { type: 'object' }) as OpenApiSchema;
  return { ...schema, properties: { ...typeMetaProperties, ...schema.properties } };
}

/** The components.schemas name kube-apiserver gives a kind: `io.k8s.api.apps.v1.Deployment`, reversed group for CRs. */
export function schemaNameOf(t: ResourceType): string {
  if (t.custom) return `${t.group.split('.').reverse().join('.')}.${t.version}.${t.kind}`;
  if (t.group === 'apiextensions.k8s.io') {
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${t.version}.${t.kind}`;
  }
  const group = t.group === '' ? 'core' : t.group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '');
  return `io.k8s.api.${group}.${t.version}.${t.kind}`;
}
