/**
 * Keeps a checkpoint of the audit chain's head in a file outside the database (see
 * audit-checkpoint.ts), at most once per `minIntervalMs` after appends and once more on close.
 *
 * The checkpoint only ever moves forward over rows it has verified from the previous
 * checkpoint, so it never vouches for a rewritten or cut chain: after tampering it stays where
 * it was (and `onProblem` says why), which is exactly the evidence `sgops audit verify` needs.
 *
 * Operators: ship every checkpoint to write-once storage as well (e.g. COS with object lock,
 * through `onCheckpoint`), because someone who controls this host can also delete the file.
 */
import type { Clock } from '../ports/clock.ts';
import { systemClock } from '../ports/clock.ts';
import type { Store } from '../store/store.ts';
import { toAppError, type AppError } from '../errors.ts';
import { makePrivate } from '../files/make-private.ts';
import {
  readAuditCheckpoint,
  signAuditCheckpoint,
  writeAuditCheckpoint,
  type AuditCheckpoint,
} from './audit-checkpoint.ts';
import { genesisHash } from './audit-hash.ts';
import { defaultAuditPageSize } from './audit-pages.ts';
import { verifyAuditChain, type AuditChainProblem, type ChainPoint } from './verify-audit-chain.ts';

export interface AuditCheckpointProblem {
  /** Where the chain stops verifying, when that is the problem. */
  seq?: number;
  problem?: AuditChainProblem;
  error?: AppError;
  message: string;
}

export interface AuditCheckpointOptions {
  store: Pick<Store, 'listAudit'>;
  auditKey: string;
  /** The checkpoint file, e.g. `<state dir>/audit-checkpoint.json`. */
  path: string;
  clock?: Clock;
  /** Writes happen at most this often after appends (1000 ms by default). */
  minIntervalMs?: number;
  /** When set, also looks for rows appended by other processes this often. */
  pollMs?: number;
  pageSize?: number;
  /** Called with each new checkpoint after the file is written: ship it to write-once storage. */
  onCheckpoint?: (checkpoint: AuditCheckpoint) => Promise<void>;
  /** The chain does not verify from the last checkpoint, or a write or the hook failed. */
  onProblem?: (problem: AuditCheckpointProblem) => void;
}

export interface AuditCheckpointer {
  readonly path: string;
  /** The last checkpoint written or read, already verified. */
  current(): AuditCheckpoint | null;
  /** The trusted head for verifiers: same as current(); a function so routes can take any source. */
  read(): Promise<AuditCheckpoint | null>;
  /** Tell it rows were appended; it advances at most once per minIntervalMs. */
  appended(): void;
  /** Advances the checkpoint to the verified head now (serialised with other advances). */
  flush(): Promise<AuditCheckpoint | null>;
  /** Stops the timers and writes a last checkpoint. */
  close(): Promise<void>;
}

/**
 * Reads the existing checkpoint (a file with a bad MAC stops start-up: overwriting it would
 * destroy evidence) and returns the checkpointer. Nothing is written until the first flush.
 */
export async function createAuditCheckpoint(options: AuditCheckpointOptions): Promise<AuditCheckpointer> {
  const { store, auditKey, path } = options;
  const clock = options.clock ?? systemClock;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const pageSize = options.pageSize ?? defaultAuditPageSize;
  const onProblem = options.onProblem ?? (() => undefined);
  // The writer's own file (a copy restored with the default umask, say) is closed before it is used;
  // readers such as `sgops audit verify --checkpoint` leave the file they are given alone.
  await makePrivate(path);
  let current = await readAuditCheckpoint(path, auditKey);
  let running: Promise<AuditCheckpoint | null> = Promise.resolve(current);
  let timer: NodeJS.Timeout | null = null;
  let lastRunAt = -Infinity;
  let closed = false;
  // Each distinct problem is reported once, not once a second.
  let lastProblem = '';

  const report = (problem: AuditCheckpointProblem) => {
    const fingerprint = `${problem.seq ?? ''}/${problem.problem ?? ''}/${problem.message}`;
    if (fingerprint === lastProblem) return;
    lastProblem = fingerprint;
    onProblem(problem);
  };

  /** The verified head after `from`, reading only the rows appended since. */
  const verifiedHead = async (from: ChainPoint): Promise<ChainPoint> => {
    let anchor = from;
    for (;;) {
      const page = await store.listAudit({ afterSeq: anchor.seq, limit: pageSize });
      if (page.length === 0) return anchor;
      const verdict = verifyAuditChain(page, auditKey, { anchor });
      const good = verdict.ok ? page : page.filter((row) => row.seq < verdict.seq);
      const last = good.at(-1);
      if (last) anchor = { seq: last.seq, hash: last.hash };
      if (!verdict.ok) {
        report({
          seq: verdict.seq,
          problem: verdict.problem,
          message: `the audit chain does not verify at seq ${verdict.seq} (${verdict.problem}); the checkpoint stays at seq ${anchor.seq}`,
        });
        return anchor;
      }
      if (page.length < pageSize) return anchor;
    }
  };

  const advance = async (): Promise<AuditCheckpoint | null> => {
    lastRunAt = performance.now();
    const from = current ?? { seq: 0, hash: genesisHash };
    const head = await verifiedHead(from);
    if (head.seq <= from.seq) return current;
    const next = signAuditCheckpoint(auditKey, { ...head, at: clock.now().toISOString() });
    await writeAuditCheckpoint(path, next);
    current = next;
    if (options.onCheckpoint) {
      await options
        .onCheckpoint(next)
        .catch((error: unknown) =>
          report({ error: toAppError(error), message: `onCheckpoint failed for seq ${next.seq}` }),
        );
    }
    return next;
  };

  const flush = (): Promise<AuditCheckpoint | null> => {
    running = running
      .catch(() => current)
      .then(advance)
      .catch((error: unknown) => {
        report({ error: toAppError(error), message: 'could not advance the audit checkpoint' });
        return current;
      });
    return running;
  };

  const appended = () => {
    if (closed || timer !== null) return;
    const wait = Math.max(0, lastRunAt + minIntervalMs - performance.now());
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, wait);
    timer.unref();
  };

  const poller =
    options.pollMs === undefined ? null : setInterval(appended, Math.max(options.pollMs, minIntervalMs));
  poller?.unref();

  return {
    path,
    current: () => current,
    read: () => Promise.resolve(current),
    appended,
    flush,
    async close() {
      if (closed) return;
      closed = true;
      if (poller) clearInterval(poller);
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
  };
}
