/**
 * Resident memory of a Node process that only imports modules (nothing started), to tell what a
 * footprint owes to loading code rather than to work.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** RSS in MB one second after importing `specifiers` (none: bare Node), with or without tsx's loader. */
export async function importFloorMb(specifiers: string[], withTsx: boolean): Promise<number> {
  const script = `for (const s of ${JSON.stringify(specifiers)}) await import(s);
globalThis.gc?.(); setTimeout(() => console.log(process.memoryUsage().rss), 1000);`;
  const { stdout } = await run(
    process.execPath,
    [...(withTsx ? ['--import', 'tsx'] : []), '--expose-gc', '--input-type=module', '-e', script],
    { cwd: repoRoot, timeout: 30_000 },
  );
  return Number(stdout.trim()) / 2 ** 20;
}
