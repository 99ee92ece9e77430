import type { KubeObject } from './kube-object.ts';
import { clone } from './kube-object.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  type: WatchEventType;
  plural: string;
  resourceVersion: number;
  object: KubeObject;
}

type Listener = (event: StoredEvent) => void;

/** By default, how many past changes a watch can resume from before it gets 410 Gone. */
export const defaultHistoryLimit = 20_000;

/**
 * The etcd of the simulator: objects keyed by resource, namespace and name, one global
 * resourceVersion counter, and a bounded change log that watches replay from.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private revision = 1;

  /** `historyLimit`: how many changes are kept for watches to resume from (bounded memory). */
  constructor(private readonly historyLimit = defaultHistoryLimit) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may resume from without 410. */
  get oldestResumable(): number {
    return this.history.length === 0 ? this.revision : this.history[0]!.resourceVersion - 1;
  }

  private bucket(plural: string): Map<string, KubeObject> {
    let bucket = this.objects.get(plural);
    if (bucket === undefined) {
      bucket = new Map();
      this.objects.set(plural, bucket);
    }
    return bucket;
  }

  private static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(plural).get(ObjectStore.key(namespace, name));
    return found === undefined ? undefined : clone(found);
  }

  /** Copies only what matches: filtering before cloning keeps big namespaces cheap for every controller pass. */
  list(plural: string, namespace?: string, where?: (stored: Readonly<KubeObject>) => boolean): KubeObject[] {
    const items = [...this.bucket(plural).values()].filter(
      (o) =>
        (namespace === undefined || o.metadata.namespace === namespace) && (where === undefined || where(o)),
    );
    items.sort((a, b) =>
      ObjectStore.key(a.metadata.namespace, a.metadata.name).localeCompare(
        ObjectStore.key(b.metadata.namespace, b.metadata.name),
      ),
    );
    return items.map((o) => clone(o));
  }

  plurals(): string[] {
    return [...this.objects.keys()].sort();
  }

  /** Writes the object (new or replaced), stamping the next resourceVersion. */
  put(plural: string, object: KubeObject): KubeObject {
    const bucket = this.bucket(plural);
    const key = ObjectStore.key(object.metadata.namespace, object.metadata.name);
    const existed = bucket.has(key);
    this.revision += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.revision);
    bucket.set(key, stored);
    this.record({
      type: existed ? 'MODIFIED' : 'ADDED',
      plural,
      resourceVersion: this.revision,
      object: clone(stored),
    });
    return clone(stored);
  }

  remove(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.bucket(plural);
    const key = ObjectStore.key(namespace, name);
    const found = bucket.get(key);
    if (found === undefined) return undefined;
    bucket.delete(key);
    this.revision += 1;
    const gone = clone(found);
    gone.metadata.resourceVersion = String(this.revision);
    this.record({ type: 'DELETED', plural, resourceVersion: this.revision, object: clone(gone) });
    return gone;
  }

  /** Changes after `resourceVersion`, or undefined when they are no longer kept. */
  changesSince(resourceVersion: number): StoredEvent[] | undefined {
    if (resourceVersion < this.oldestResumable) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion).map((e) => clone(e));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(event: StoredEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      this.history.splice(0, this.history.length - this.historyLimit);
    }
    for (const listener of [...this.listeners]) listener(clone(event));
  }
}
