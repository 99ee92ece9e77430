/**
 * Writes `text` to `file` so that a crash at any moment leaves either the old file or the new one:
 * written beside it, flushed, then renamed over it. Synchronous, so a stand-in can keep a change
 * before it answers the call that made it.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export function writeFileAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
