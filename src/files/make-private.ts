/**
 * Makes a file, or a directory and everything below it, private to the user sgops runs as: group
 * and others lose every permission bit (a 0644 or 0666 file becomes 0600, a 0755 directory 0700)
 * and the owner keeps theirs. State files hold secrets (sandbox.json, audit.key) and the audit
 * trail (PGlite's files), so what cannot be made private stops sgops with FILE_NOT_PRIVATE.
 */
import { chmod, lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

interface EntryStats {
  mode: number;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The calls makePrivate makes; node:fs/promises unless a test passes another. */
export interface PrivateFileSystem {
  stat(file: string): Promise<EntryStats>;
  lstat(file: string): Promise<EntryStats>;
  readdir(dir: string): Promise<string[]>;
  chmod(file: string, mode: number): Promise<void>;
}

const nodeFileSystem: PrivateFileSystem = { stat, lstat, readdir: (dir) => readdir(dir), chmod };

const othersBits = 0o077;
const stickyBit = 0o1000;

/** Resolves when every entry under `root` is private; a missing `root` has nothing to protect. */
export async function makePrivate(root: string, fs: PrivateFileSystem = nodeFileSystem): Promise<void> {
  // The root may be a link the operator chose (a state directory on another disk); links inside are refused.
  const top = await unlessMissing(root, fs.stat(root));
  if (top === null) return;
  if (top.isDirectory() && (top.mode & stickyBit) !== 0) {
    // Closing /tmp to everyone else would break the host; a shared directory is no place for state.
    throw notPrivate(root, 'is a shared directory (sticky bit, like /tmp)', {
      hint: 'Give sgops a directory of its own, e.g. --state-dir /tmp/sgops-state rather than /tmp.',
    });
  }
  await tighten(root, top, fs);
}

async function tighten(file: string, stats: EntryStats, fs: PrivateFileSystem): Promise<void> {
  if (stats.isSymbolicLink()) {
    // chmod would follow it and change a file outside, and writes through it land there too.
    throw notPrivate(file, 'is a symbolic link, and what it points to is not sgops’s to make private', {
      hint: 'Replace the link with the file or directory itself, or point sgops at the real path.',
    });
  }
  const mode = stats.mode & 0o7777;
  if ((mode & othersBits) !== 0) {
    const wanted = mode & ~othersBits;
    try {
      await fs.chmod(file, wanted);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // removed meanwhile (PGlite's temporary files): nothing left to expose
      throw notPrivate(
        file,
        `cannot be made private (chmod to ${octal(wanted)} failed: ${code ?? String(error)})`,
        {
          cause: error,
          hint: 'Make it owned by the user sgops runs as and writable (not immutable, not on a read-only mount), or choose another directory.',
          mode,
        },
      );
    }
    // Some file systems (vfat, some network shares) accept chmod and keep the old mode. (stat, not
    // lstat: the root may be a link; links below it were refused above.)
    const after = await unlessMissing(file, fs.stat(file));
    if (after !== null && (after.mode & othersBits) !== 0) {
      throw notPrivate(file, `keeps mode ${octal(after.mode & 0o7777)} after chmod to ${octal(wanted)}`, {
        hint: 'Put it on a file system with Unix permissions, or mount this one so only the sgops user can read it (uid=, umask=077).',
        mode: after.mode & 0o7777,
      });
    }
  }
  if (!stats.isDirectory()) return;
  for (const name of (await unlessMissing(file, fs.readdir(file))) ?? []) {
    const entry = path.join(file, name);
    const entryStats = await unlessMissing(entry, fs.lstat(entry));
    if (entryStats !== null) await tighten(entry, entryStats, fs);
  }
}

/** What `pending` read about `file`; null when it is gone; FILE_NOT_PRIVATE when it cannot be read. */
async function unlessMissing<T>(file: string, pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw notPrivate(file, `cannot be examined (${code ?? String(error)})`, {
      cause: error,
      hint: 'Make it readable by the user sgops runs as, or choose another directory.',
    });
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function notPrivate(file: string, why: string, options: { hint: string; cause?: unknown; mode?: number }) {
  return new AppError('FILE_NOT_PRIVATE', `${file} ${why}; sgops keeps its state files from other users.`, {
    hint: options.hint,
    details: { path: file, ...(options.mode === undefined ? {} : { mode: octal(options.mode) }) },
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}
