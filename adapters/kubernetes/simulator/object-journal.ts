/**
 * The simulator's etcd on disk: a snapshot of every object plus a journal of the changes made
 * since. Each change is written (one JSON line, one write) before the API answers, so an
 * acknowledged write survives `kill -9`; power loss is out of scope, as for any sandbox. On open
 * the snapshot is loaded and the journal replayed over it; a torn last line (the process died
 * mid-write) is an unacknowledged change and is dropped. Every `compactEvery` changes, and on
 * open, both are folded into a fresh snapshot written beside and renamed over the old one, so a
 * crash at any point leaves either the old pair or the new one.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../../stand-ins/write-file-atomically.ts';
import type { KubeObject } from './kube-object.ts';
import type { StoredEvent } from './object-store.ts';

export interface StoredWorld {
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

interface SnapshotFile extends StoredWorld {
  format: 1;
}

const snapshotName = 'kubernetes-objects.json';
const journalName = 'kubernetes-changes.jsonl';

export class ObjectJournal {
  #fd: number;
  #lines = 0;

  private constructor(
    private readonly dir: string,
    private readonly compactEvery: number,
  ) {
    this.#fd = openSync(path.join(dir, journalName), 'a', 0o600);
  }

  /** Opens the journal in `dir`; `restored` is the world it held, undefined for a new directory. */
  static open(dir: string, compactEvery = 5000): { journal: ObjectJournal; restored?: StoredWorld } {
    const restored = readWorld(dir);
    if (restored !== undefined) writeSnapshot(dir, restored);
    // The journal is emptied only after the snapshot that holds its changes is in place.
    closeSync(openSync(path.join(dir, journalName), 'w', 0o600));
    return { journal: new ObjectJournal(dir, compactEvery), restored };
  }

  /** Records one change; `world` is read only when it is time to fold the journal into a snapshot. */
  append(event: Readonly<StoredEvent>, world: () => StoredWorld): void {
    const line = JSON.stringify({
      type: event.type,
      plural: event.plural,
      resourceVersion: event.resourceVersion,
      object: event.object,
    });
    writeSync(this.#fd, `${line}\n`);
    this.#lines += 1;
    if (this.#lines >= this.compactEvery) this.compact(world());
  }

  /** Writes `world` as the snapshot and starts an empty journal. */
  compact(world: StoredWorld): void {
    writeSnapshot(this.dir, world);
    closeSync(this.#fd);
    this.#fd = openSync(path.join(this.dir, journalName), 'w', 0o600);
    this.#lines = 0;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** The snapshot with the journal's later changes applied, or undefined when the directory has neither. */
function readWorld(dir: string): StoredWorld | undefined {
  const snapshotFile = path.join(dir, snapshotName);
  const journalFile = path.join(dir, journalName);
  if (!existsSync(snapshotFile) && !existsSync(journalFile)) return undefined;
  const snapshot: SnapshotFile = existsSync(snapshotFile)
    ? (JSON.parse(readFileSync(snapshotFile, 'utf8')) as SnapshotFile)
    : { format: 1, resourceVersion: 1, objects: {} };
  const objects = new Map<string, Map<string, KubeObject>>();
  const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  for (const [plural, list] of Object.entries(snapshot.objects))
    objects.set(plural, new Map(list.map((o) => [keyOf(o), o])));
  let resourceVersion = snapshot.resourceVersion;
  const text = existsSync(journalFile) ? readFileSync(journalFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    const event = parseLine(line);
    // Changes already in the snapshot: a crash came between writing it and emptying the journal.
    if (event === undefined || event.resourceVersion <= snapshot.resourceVersion) continue;
    let shelf = objects.get(event.plural);
    if (shelf === undefined) objects.set(event.plural, (shelf = new Map()));
    if (event.type === 'DELETED') shelf.delete(keyOf(event.object));
    else shelf.set(keyOf(event.object), event.object);
    resourceVersion = Math.max(resourceVersion, event.resourceVersion);
  }
  return {
    resourceVersion,
    objects: Object.fromEntries([...objects].map(([plural, shelf]) => [plural, [...shelf.values()]])),
  };
}

function parseLine(line: string): StoredEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as StoredEvent;
  } catch {
    return undefined;
  }
}

function writeSnapshot(dir: string, world: StoredWorld): void {
  const snapshot: SnapshotFile = { format: 1, ...world };
  writeFileAtomically(path.join(dir, snapshotName), JSON.stringify(snapshot));
}
