import { randomUUID } from 'node:crypto';
import { normalizeSecret } from './admit-more-kinds.ts';
import type { AdmissionContext } from './admit-object.ts';
import { defaultObject, validateObject } from './admit-object.ts';
import type { StatusBody } from './api-status.ts';
import { alreadyExists, badRequest, conflict, invalid, notFound, success } from './api-status.ts';
import { evictPod } from './evict-pod.ts';
import { matchesFields, parseFieldSelector } from './field-selector.ts';
import type { KubeObject } from './kube-object.ts';
import { clone } from './kube-object.ts';
import { matchesRequirements, parseLabelSelector } from './label-selector.ts';
import type { PassScope } from './controller-loop.ts';
import type { ObjectStore } from './object-store.ts';
import { applyPatch } from './patch-object.ts';
import { applyPatchType } from './write-options.ts';
import { randomSuffix } from './random-suffix.ts';
import type { ResourceType } from './resource-types.ts';
import { apiVersionOf } from './resource-types.ts';
import { pruneUnknownFields } from './unknown-fields.ts';
import type { PrinterColumn } from './to-table.ts';
import type { WriteOptions } from './write-options.ts';

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  /** An in-process filter (controllers), applied before anything is copied; it must not mutate. */
  where?: (stored: Readonly<KubeObject>) => boolean;
}

export interface ResourceApiOptions {
  store: ObjectStore;
  types: ResourceType[];
  admission: AdmissionContext;
  /** Mutating admission for new objects (the TKE super-node webhook hooks in here). */
  onCreate?: (t: ResourceType, object: KubeObject) => void;
}

/** One version of a CustomResourceDefinition, as far as the simulator reads it. */
export interface CrdVersion {
  name: string;
  schema?: { openAPIV3Schema?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

/** Kinds whose spec changes bump metadata.generation. */
const generational = new Set([
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'poddisruptionbudgets',
  'securitygrouppolicies',
  'customresourcedefinitions',
]);

/**
 * The API server's storage semantics (create/get/list/update/patch/delete, preconditions,
 * defaults, validation, status subresource, cascading deletes), shared by the HTTP front
 * and by in-process callers: controllers, seeding and tests.
 */
export class ResourceApi {
  readonly types: ResourceType[];
  private readonly store: ObjectStore;
  private readonly admission: AdmissionContext;
  private readonly onCreate: ResourceApiOptions['onCreate'];

  constructor(options: ResourceApiOptions) {
    this.store = options.store;
    this.types = options.types;
    this.admission = options.admission;
    this.onCreate = options.onCreate;
  }

  type(plural: string): ResourceType {
    const found = this.types.find((t) => t.plural === plural);
    if (found === undefined) throw new Error(`the simulator does not serve ${plural}`);
    return found;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(t.plural, t.namespaced ? namespace : undefined, name);
    if (found === undefined) throw notFound(t, name);
    return found;
  }

  find(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.type(plural);
    return this.store.get(plural, t.namespaced ? namespace : undefined, name);
  }

  list(t: ResourceType, namespace: string | undefined, options: ListOptions = {}): KubeObject[] {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const where = options.where;
    return this.store.list(
      t.plural,
      t.namespaced ? namespace : undefined,
      (o) =>
        matchesRequirements(o.metadata.labels, labels) &&
        matchesFields(o as KubeObject, fields) &&
        (where === undefined || where(o)),
    );
  }

  /** `list` over a controller pass's namespaces (every one when the scope is undefined), in `list`'s order. */
  listScoped(t: ResourceType, scope: PassScope, options: ListOptions = {}): KubeObject[] {
    if (scope === undefined || !t.namespaced) return this.list(t, undefined, options);
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const where = options.where;
    return this.store.listIn(
      t.plural,
      scope,
      (o) =>
        matchesRequirements(o.metadata.labels, labels) &&
        matchesFields(o as KubeObject, fields) &&
        (where === undefined || where(o)),
    );
  }

  /** Visits every stored object of a resource without copying it: read-only tallies over the whole store. */
  scan(plural: string, visit: (stored: Readonly<KubeObject>) => void): void {
    this.store.scan(plural, visit);
  }

  private requireNamespace(t: ResourceType, namespace: string | undefined): void {
    if (!t.namespaced) return;
    if (namespace === undefined || this.store.get('namespaces', undefined, namespace) === undefined) {
      throw notFound(this.type('namespaces'), namespace ?? '');
    }
  }

  /** With `dryRun`, answers what would be stored (no resourceVersion) and stores nothing. */
  create(
    t: ResourceType,
    namespace: string | undefined,
    body: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const object = clone(body);
    this.pruneFields(t, object, options);
    object.metadata ??= { name: '' };
    if (t.namespaced) {
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = namespace;
    } else delete object.metadata.namespace;
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
    }
    if (!object.metadata.name) {
      throw invalid(t, '', [
        {
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
          reason: 'FieldValueRequired',
        },
      ]);
    }
    this.requireNamespace(t, namespace);
    const name = object.metadata.name;
    if (this.store.get(t.plural, object.metadata.namespace, name) !== undefined) throw alreadyExists(t, name);
    object.apiVersion = apiVersionOf(t);
    object.kind = t.kind;
    object.metadata.uid = randomUUID();
    object.metadata.creationTimestamp = this.admission.timestamp();
    delete object.metadata.resourceVersion;
    if (generational.has(t.plural)) object.metadata.generation = 1;
    defaultObject(t, object, this.admission);
    const causes = validateObject(t, object);
    if (causes.length > 0) throw invalid(t, name, causes);
    if (options.dryRun) return object;
    this.onCreate?.(t, object);
    const stored = this.store.put(t.plural, object);
    if (t.plural === 'namespaces') this.createDefaultServiceAccount(name);
    return stored;
  }

  private createDefaultServiceAccount(namespace: string): void {
    const t = this.type('serviceaccounts');
    if (this.store.get(t.plural, namespace, 'default') === undefined) {
      this.create(t, namespace, { metadata: { name: 'default' } });
    }
  }

  /** PUT: `body.metadata.resourceVersion` is a precondition, as in the real server. */
  update(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    subresource?: string,
    options: WriteOptions = {},
  ): KubeObject {
    const current = this.get(t, namespace, name);
    if (body?.metadata?.name !== undefined && body.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const rv = body?.metadata?.resourceVersion;
    if (rv === undefined || rv === '') {
      throw invalid(t, name, [
        { field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
      ]);
    }
    if (rv !== current.metadata.resourceVersion) throw conflict(t, name);
    return this.write(t, current, body, subresource, options);
  }

  patch(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patch: unknown,
    subresource?: string,
    options: WriteOptions = {},
  ): KubeObject {
    if (contentType.split(';')[0]!.trim() === applyPatchType) {
      return this.apply(t, namespace, name, patch as KubeObject, subresource, options).object;
    }
    const current = this.get(t, namespace, name);
    const patched = applyPatch(contentType, current, patch, t.custom) as unknown as KubeObject;
    const rv = patched?.metadata?.resourceVersion;
    if (rv !== undefined && rv !== current.metadata.resourceVersion) throw conflict(t, name);
    return this.write(t, current, patched, subresource, options);
  }

  /**
   * Server-side apply (`kubectl apply --server-side`): creates the object when it does not exist,
   * as kube-apiserver does, else merges the applied configuration into it — keyed lists by their
   * merge key for built-in kinds, lists whole for custom resources. Field ownership is not kept:
   * a field dropped from the configuration stays, and no apply conflicts are reported.
   */
  apply(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    config: KubeObject,
    subresource?: string,
    options: WriteOptions = {},
  ): { object: KubeObject; created: boolean } {
    const named = config?.metadata?.name;
    if (named !== undefined && named !== name) {
      throw badRequest(`the name of the object (${named}) does not match the name on the URL (${name})`);
    }
    const exists = this.store.get(t.plural, t.namespaced ? namespace : undefined, name) !== undefined;
    if (!exists && subresource === undefined) {
      const body = { ...config, metadata: { ...config?.metadata, name } };
      return { object: this.create(t, namespace, body, options), created: true };
    }
    const merge = t.custom ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json';
    return { object: this.patch(t, namespace, name, merge, config, subresource, options), created: false };
  }

  /** Writes a new version of an existing object, keeping what clients may not change. */
  private write(
    t: ResourceType,
    current: KubeObject,
    body: KubeObject,
    subresource: string | undefined,
    options: WriteOptions,
  ): KubeObject {
    let next: KubeObject;
    if (subresource === 'status') {
      next = { ...clone(current), status: clone(body.status) };
    } else {
      next = clone(body);
      next.metadata = { ...next.metadata };
      if (t.subresources.includes('status')) next.status = clone(current.status);
    }
    next.apiVersion = apiVersionOf(t);
    next.kind = t.kind;
    this.pruneFields(t, next, options);
    if (t.plural === 'secrets') normalizeSecret(next);
    for (const key of ['name', 'namespace', 'uid', 'creationTimestamp', 'generation'] as const) {
      if (current.metadata[key] === undefined) delete next.metadata[key];
      else (next.metadata as Record<string, unknown>)[key] = current.metadata[key];
    }
    if (generational.has(t.plural) && JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    const causes = validateObject(t, next);
    if (causes.length > 0) throw invalid(t, current.metadata.name, causes);
    if (
      JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: '' } }) ===
      JSON.stringify({ ...current, metadata: { ...current.metadata, resourceVersion: '' } })
    ) {
      // A no-op write keeps the resourceVersion, as etcd would see no change.
      return current;
    }
    // A dry run answers the new version under the current resourceVersion: nothing was written.
    if (options.dryRun)
      return { ...next, metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion } };
    return this.store.put(t.plural, next);
  }

  /**
   * Deletes what a custom resource's structural schema does not declare, as the apiextensions
   * server prunes before storing; `fieldValidation` decides whether the client hears of it.
   */
  private pruneFields(t: ResourceType, object: KubeObject, options: WriteOptions): void {
    if (!t.custom) return;
    const unknown = pruneUnknownFields(object, this.crdVersion(t)?.schema?.openAPIV3Schema);
    if (unknown.length === 0) return;
    const mode = options.fieldValidation ?? 'Warn';
    if (mode === 'Strict') {
      throw badRequest(
        `${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    if (mode === 'Warn') options.warnings?.push(...unknown.map((f) => `unknown field "${f}"`));
  }

  /** The CRD version that defines a custom resource (schema, printer columns); undefined for built-in kinds. */
  crdVersion(t: ResourceType): CrdVersion | undefined {
    if (!t.custom) return undefined;
    const crd = this.store.get('customresourcedefinitions', undefined, `${t.plural}.${t.group}`);
    return ((crd?.spec?.versions ?? []) as CrdVersion[]).find((v) => v.name === t.version);
  }

  /** Controller writes: no precondition, status included; undefined when the object is gone. */
  mutate(
    plural: string,
    namespace: string | undefined,
    name: string,
    change: (o: KubeObject) => void,
  ): KubeObject | undefined {
    const t = this.type(plural);
    const current = this.store.get(plural, t.namespaced ? namespace : undefined, name);
    if (current === undefined) return undefined;
    const next = clone(current);
    change(next);
    if (generational.has(plural) && JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    return this.store.put(plural, next);
  }

  /** Deletes at once (no grace period) and cascades to dependents, like foreground GC would. */
  delete(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions = {},
  ): KubeObject | StatusBody {
    const current = this.get(t, namespace, name);
    if (options.dryRun) return t.custom ? success(t, name, current.metadata.uid) : current;
    if (t.plural === 'namespaces') {
      for (const other of this.types.filter((x) => x.namespaced)) {
        for (const o of this.store.list(other.plural, name))
          this.store.remove(other.plural, name, o.metadata.name);
      }
    }
    this.store.remove(t.plural, current.metadata.namespace, name);
    this.collectDependents(current.metadata.uid ?? '', current.metadata.namespace);
    return t.custom ? success(t, name, current.metadata.uid) : current;
  }

  private collectDependents(ownerUid: string, namespace: string | undefined): void {
    if (namespace === undefined) return;
    const owned = (o: Readonly<KubeObject>) =>
      (o.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid);
    for (const t of this.types.filter((x) => x.namespaced)) {
      // Only the dependents are copied: a namespace's other objects are looked at, not cloned.
      for (const o of this.store.list(t.plural, namespace, owned)) {
        this.store.remove(t.plural, namespace, o.metadata.name);
        this.collectDependents(o.metadata.uid ?? '', namespace);
      }
    }
  }

  /** POST pods/{name}/eviction, honouring PodDisruptionBudgets (429 when one would be violated). */
  evict(namespace: string, name: string): StatusBody {
    return evictPod(this, namespace, name);
  }
}
