import type { KubeObject } from './kube-object.ts';
import { clone } from './kube-object.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  type: WatchEventType;
  plural: string;
  resourceVersion: number;
  object: KubeObject;
}

/** Listeners share one recorded event: they must not mutate it. */
type Listener = (event: Readonly<StoredEvent>) => void;

/** By default, how many past changes a watch can resume from before it gets 410 Gone. */
export const defaultHistoryLimit = 20_000;

/** One namespace of one resource (cluster-scoped objects live under ''), with its keys kept sorted lazily. */
interface Shelf {
  objects: Map<string, KubeObject>;
  sorted: string[] | undefined;
}

/** Per resource: its shelves by namespace, and every key sorted, both rebuilt only after an add or a removal. */
interface Bucket {
  shelves: Map<string, Shelf>;
  sorted: string[] | undefined;
}

/**
 * The etcd of the simulator: objects keyed by resource, namespace and name, one global
 * resourceVersion counter, and a bounded change log that watches replay from. Objects are
 * indexed by namespace, so a namespaced list costs what is in that namespace, not in the store.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  /** The change log is history[historyStart…]: trimming moves the start, not every entry. */
  private history: StoredEvent[] = [];
  private historyStart = 0;
  private readonly listeners = new Set<Listener>();
  private revision = 1;
  /** The order `String.prototype.localeCompare` gives, without building a collator per call. */
  private readonly collator = new Intl.Collator();

  /** `historyLimit`: how many changes are kept for watches to resume from (bounded memory). */
  constructor(private readonly historyLimit = defaultHistoryLimit) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may resume from without 410. */
  get oldestResumable(): number {
    return this.history.length === this.historyStart
      ? this.revision
      : this.history[this.historyStart]!.resourceVersion - 1;
  }

  private bucket(plural: string): Bucket {
    let bucket = this.buckets.get(plural);
    if (bucket === undefined) {
      bucket = { shelves: new Map(), sorted: undefined };
      this.buckets.set(plural, bucket);
    }
    return bucket;
  }

  private shelf(bucket: Bucket, namespace: string | undefined): Shelf {
    let shelf = bucket.shelves.get(namespace ?? '');
    if (shelf === undefined) {
      shelf = { objects: new Map(), sorted: undefined };
      bucket.shelves.set(namespace ?? '', shelf);
    }
    return shelf;
  }

  private static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.buckets
      .get(plural)
      ?.shelves.get(namespace ?? '')
      ?.objects.get(ObjectStore.key(namespace, name));
    return found === undefined ? undefined : clone(found);
  }

  private sortedKeys(keys: Iterable<string>): string[] {
    return [...keys].sort((a, b) => this.collator.compare(a, b));
  }

  /** Copies only what matches: filtering before cloning keeps big namespaces cheap for every controller pass. */
  list(plural: string, namespace?: string, where?: (stored: Readonly<KubeObject>) => boolean): KubeObject[] {
    const bucket = this.buckets.get(plural);
    if (bucket === undefined) return [];
    if (namespace !== undefined) {
      const shelf = bucket.shelves.get(namespace);
      if (shelf === undefined) return [];
      shelf.sorted ??= this.sortedKeys(shelf.objects.keys());
      return pick(shelf.sorted, (key) => shelf.objects.get(key), where);
    }
    bucket.sorted ??= this.sortedKeys([...bucket.shelves.values()].flatMap((s) => [...s.objects.keys()]));
    const byKey = (key: string) => bucket.shelves.get(key.slice(0, key.indexOf('/')))?.objects.get(key);
    return pick(bucket.sorted, byKey, where);
  }

  /**
   * What `list` would give for each of `namespaces`, merged in the order one `list` over the
   * whole resource gives (controllers working on the namespaces that changed see objects in the
   * order a whole pass would).
   */
  listIn(
    plural: string,
    namespaces: Iterable<string>,
    where?: (stored: Readonly<KubeObject>) => boolean,
  ): KubeObject[] {
    const found: KubeObject[] = [];
    for (const namespace of namespaces) found.push(...this.list(plural, namespace, where));
    return found.sort((a, b) =>
      this.collator.compare(
        ObjectStore.key(a.metadata.namespace, a.metadata.name),
        ObjectStore.key(b.metadata.namespace, b.metadata.name),
      ),
    );
  }

  /** Visits every stored object of a resource without copying it (read-only tallies). */
  scan(plural: string, visit: (stored: Readonly<KubeObject>) => void): void {
    for (const shelf of this.buckets.get(plural)?.shelves.values() ?? [])
      for (const o of shelf.objects.values()) visit(o);
  }

  plurals(): string[] {
    return [...this.buckets.keys()].sort();
  }

  /** Puts back a world read from disk: objects as they were, the counter where it stopped, no change recorded. */
  load(world: { resourceVersion: number; objects: Record<string, readonly KubeObject[]> }): void {
    for (const [plural, objects] of Object.entries(world.objects)) {
      const bucket = this.bucket(plural);
      for (const object of objects) {
        const shelf = this.shelf(bucket, object.metadata.namespace);
        shelf.objects.set(ObjectStore.key(object.metadata.namespace, object.metadata.name), clone(object));
        shelf.sorted = undefined;
      }
      bucket.sorted = undefined;
    }
    this.revision = Math.max(this.revision, world.resourceVersion);
  }

  /** Writes the object (new or replaced), stamping the next resourceVersion. */
  put(plural: string, object: KubeObject): KubeObject {
    const bucket = this.bucket(plural);
    const shelf = this.shelf(bucket, object.metadata.namespace);
    const key = ObjectStore.key(object.metadata.namespace, object.metadata.name);
    const existed = shelf.objects.has(key);
    this.revision += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.revision);
    shelf.objects.set(key, stored);
    if (!existed) {
      shelf.sorted = undefined;
      bucket.sorted = undefined;
    }
    this.record({
      type: existed ? 'MODIFIED' : 'ADDED',
      plural,
      resourceVersion: this.revision,
      object: clone(stored),
    });
    return clone(stored);
  }

  remove(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.buckets.get(plural);
    const shelf = bucket?.shelves.get(namespace ?? '');
    const key = ObjectStore.key(namespace, name);
    const found = shelf?.objects.get(key);
    if (bucket === undefined || shelf === undefined || found === undefined) return undefined;
    shelf.objects.delete(key);
    shelf.sorted = undefined;
    bucket.sorted = undefined;
    this.revision += 1;
    const gone = clone(found);
    gone.metadata.resourceVersion = String(this.revision);
    this.record({ type: 'DELETED', plural, resourceVersion: this.revision, object: clone(gone) });
    return gone;
  }

  /** Changes after `resourceVersion` (of `plural` only, when given), or undefined when they are no longer kept. */
  changesSince(resourceVersion: number, plural?: string): StoredEvent[] | undefined {
    if (resourceVersion < this.oldestResumable) return undefined;
    // The log is in resourceVersion order: find the first newer change by bisection.
    let low = this.historyStart;
    let high = this.history.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.history[middle]!.resourceVersion > resourceVersion) high = middle;
      else low = middle + 1;
    }
    const changes: StoredEvent[] = [];
    for (let i = low; i < this.history.length; i += 1) {
      const e = this.history[i]!;
      if (plural === undefined || e.plural === plural) changes.push(clone(e));
    }
    return changes;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(event: StoredEvent): void {
    this.history.push(event);
    const kept = this.history.length - this.historyStart;
    if (kept > this.historyLimit) this.historyStart += kept - this.historyLimit;
    // Compact once the dropped head outgrows what is kept, so trimming stays amortised O(1).
    if (this.historyStart > Math.max(1024, this.historyLimit)) {
      this.history = this.history.slice(this.historyStart);
      this.historyStart = 0;
    }
    for (const listener of [...this.listeners]) listener(event);
  }
}

function pick(
  keys: readonly string[],
  byKey: (key: string) => KubeObject | undefined,
  where: ((stored: Readonly<KubeObject>) => boolean) | undefined,
): KubeObject[] {
  const items: KubeObject[] = [];
  for (const key of keys) {
    const o = byKey(key)!;
    if (where === undefined || where(o)) items.push(clone(o));
  }
  return items;
}
