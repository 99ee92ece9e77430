/**
 * Resident memory of a Node process that only imports modules (nothing started), to tell what a
 * footprint owes to loading code rather than to work.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ImportFloorOptions {
  /** Through tsx's loader (TypeScript sources), as bin/sgops.js runs them. */
  tsx?: boolean;
  /** Node's own flags, e.g. the image's NODE_OPTIONS. */
  nodeArgs?: string[];
  /** Variables added to the environment, e.g. the image's glibc malloc tunables. */
  env?: Record<string, string>;
}

/**
 * RSS in MB one second after importing `specifiers` (none: bare Node) and a full collection.
 * Specifiers resolve from the repository; give file URLs for modules elsewhere.
 */
export async function importFloorMb(specifiers: string[], options: ImportFloorOptions = {}): Promise<number> {
  const script = `for (const s of ${JSON.stringify(specifiers)}) await import(s);
globalThis.gc?.(); setTimeout(() => console.log(process.memoryUsage().rss), 1000);`;
  const { stdout } = await run(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...(options.tsx ? ['--import', 'tsx'] : []),
      '--expose-gc',
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: repoRoot, timeout: 30_000, env: { ...process.env, ...options.env } },
  );
  return Number(stdout.trim()) / 2 ** 20;
}
