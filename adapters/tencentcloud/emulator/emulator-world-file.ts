/**
 * The emulator's account on disk, so a sandbox restarted on the same directory finds the groups,
 * rules, versions and clusters it left, and never hands out an id it gave before. The account is
 * small, so the whole of it is written (beside, then renamed over, the last copy) after every call
 * that changed it and before that call is answered: an acknowledged write survives `kill -9`.
 * Every counted call is also appended to a log, the history that outlives a restart.
 */
import { existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../../stand-ins/write-file-atomically.ts';
import type { SeedCluster } from './cluster-store.ts';
import type { StoredGroup } from './security-group-store.ts';
import type { SignedCall } from './signer-log.ts';

export interface PersistedEmulatorWorld {
  groups: StoredGroup[];
  clusters: (SeedCluster & { createdTime: string })[];
  /** How many numbers the id generator had drawn: a restored one carries on from there. */
  idDraws: number;
}

/** One line of the call log; `reset` marks where `POST /_admin/calls/reset` emptied the counts. */
type CallLine = SignedCall | { reset: true; at: string };

const worldName = 'cloud-account.json';
const callLogName = 'cloud-calls.jsonl';

export class EmulatorWorldFile {
  readonly #dir: string;
  #callLog: number;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#callLog = openSync(path.join(dir, callLogName), 'a', 0o600);
  }

  /** The file in `dir`, the world it holds (undefined for a new directory) and the calls since the last reset. */
  static open(dir: string): {
    file: EmulatorWorldFile;
    restored?: PersistedEmulatorWorld;
    calls: SignedCall[];
  } {
    const worldFile = path.join(dir, worldName);
    const restored = existsSync(worldFile)
      ? ((JSON.parse(readFileSync(worldFile, 'utf8')) as { world: PersistedEmulatorWorld }).world ??
        undefined)
      : undefined;
    const callFile = path.join(dir, callLogName);
    const calls: SignedCall[] = [];
    for (const line of existsSync(callFile) ? readFileSync(callFile, 'utf8').split('\n') : []) {
      const parsed = parseLine(line);
      if (parsed === undefined) continue;
      if ('reset' in parsed) calls.length = 0;
      else calls.push(parsed);
    }
    return { file: new EmulatorWorldFile(dir), restored, calls };
  }

  save(world: PersistedEmulatorWorld): void {
    writeFileAtomically(path.join(this.#dir, worldName), JSON.stringify({ format: 1, world }));
  }

  recordCall(call: SignedCall): void {
    this.#append(call);
  }

  recordReset(at: string): void {
    this.#append({ reset: true, at });
  }

  #append(line: CallLine): void {
    writeSync(this.#callLog, `${JSON.stringify(line)}\n`);
  }
}

function parseLine(line: string): CallLine | undefined {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as CallLine;
  } catch {
    // A torn last line: the process died while writing it, before the call was answered.
    return undefined;
  }
}
