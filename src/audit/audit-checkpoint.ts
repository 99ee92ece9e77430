/**
 * A checkpoint of the audit chain's head, kept OUTSIDE the database: `{ seq, hash, at, mac }`.
 * Whoever can rewrite the database can cut the chain's tail and leave a shorter, valid chain;
 * the checkpoint remembers how far the chain once reached. Its `mac` is keyed with the audit
 * key, so without the key nobody can forge a checkpoint that matches a rewritten chain.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';
import { canonicalJson } from './canonical-json.ts';

/** The file's usual name, in the sandbox's state directory. */
export const auditCheckpointFileName = 'audit-checkpoint.json';

export interface AuditCheckpoint {
  /** The seq of the last row the checkpoint vouches for. */
  seq: number;
  /** That row's chain hash. */
  hash: string;
  /** When the checkpoint was taken (ISO 8601). */
  at: string;
  /** hex(HMAC-SHA256(auditKey, domain + canonicalJson({ seq, hash, at }))). */
  mac: string;
}

// A separate domain, so a checkpoint's MAC can never be passed off as a row's hash or vice versa.
const macDomain = 'sgops audit checkpoint\n';

function macOf(key: string, point: Omit<AuditCheckpoint, 'mac'>): string {
  return createHmac('sha256', key)
    .update(macDomain + canonicalJson({ seq: point.seq, hash: point.hash, at: point.at }))
    .digest('hex');
}

export function signAuditCheckpoint(key: string, point: Omit<AuditCheckpoint, 'mac'>): AuditCheckpoint {
  return { seq: point.seq, hash: point.hash, at: point.at, mac: macOf(key, point) };
}

export function auditCheckpointMacMatches(key: string, checkpoint: AuditCheckpoint): boolean {
  const expected = Buffer.from(macOf(key, checkpoint), 'utf8');
  const actual = Buffer.from(checkpoint.mac, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Parses a checkpoint (file text or a value sent over HTTP) and checks its MAC.
 * Throws CONFIG_INVALID naming `source` when it is malformed or forged.
 */
export function parseAuditCheckpoint(input: unknown, key: string, source: string): AuditCheckpoint {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch {
      throw new AppError('CONFIG_INVALID', `The audit checkpoint ${source} is not JSON.`);
    }
  }
  const record = (value ?? {}) as Record<string, unknown>;
  const { seq, hash, at, mac } = record;
  if (
    typeof seq !== 'number' ||
    !Number.isSafeInteger(seq) ||
    seq < 0 ||
    typeof hash !== 'string' ||
    typeof at !== 'string' ||
    typeof mac !== 'string'
  ) {
    throw new AppError('CONFIG_INVALID', `The audit checkpoint ${source} lacks seq, hash, at or mac.`);
  }
  const checkpoint: AuditCheckpoint = { seq, hash, at, mac };
  if (!auditCheckpointMacMatches(key, checkpoint)) {
    throw new AppError(
      'CONFIG_INVALID',
      `The audit checkpoint ${source} does not carry a valid MAC: it was altered, or written with another audit key.`,
      { hint: 'Treat this as tampering until shown otherwise; compare with the copy in write-once storage.' },
    );
  }
  return checkpoint;
}

/** The checkpoint stored at `file`, checked; null when there is no file yet. */
export async function readAuditCheckpoint(file: string, key: string): Promise<AuditCheckpoint | null> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new AppError(
      'CONFIG_INVALID',
      `Cannot read the audit checkpoint ${file} (${error.code ?? error.message}).`,
    );
  });
  return text === null ? null : parseAuditCheckpoint(text, key, file);
}

/** Replaces the file atomically (write, then rename), so a crash never leaves half a checkpoint. */
export async function writeAuditCheckpoint(file: string, checkpoint: AuditCheckpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}
