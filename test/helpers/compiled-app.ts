/**
 * The production build laid out like the image's /app — package.json, node_modules (a link to the
 * repository's) and dist/ from scripts/build.mjs — in a fresh temporary directory, for the tests
 * and the footprint bench that run `node dist/src/cli.js`.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The compiled CLI, relative to the app directory (the Dockerfile's ENTRYPOINT runs the same). */
export const compiledEntry = 'dist/src/cli.js';

export interface CompiledApp {
  /** Where `node dist/src/cli.js` runs from. */
  dir: string;
  buildMs: number;
  remove(): Promise<void>;
}

export async function buildCompiledApp(timeoutMs = 120_000): Promise<CompiledApp> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sgops-compiled-'));
  try {
    await copyFile(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const started = Date.now();
    // Type checking is `npm run typecheck`'s job; the emitted JavaScript is the same either way.
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        ['scripts/build.mjs', '--out-dir', path.join(dir, 'dist'), '--no-check'],
        { cwd: repoRoot, timeout: timeoutMs },
        (error, stdout, stderr) =>
          error ? reject(new Error(`build failed: ${error.message}\n${stdout}${stderr}`)) : resolve(),
      );
    });
    return { dir, buildMs: Date.now() - started, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** True when the repository's own dist/ was built after every source it compiles or copies was last changed. */
export async function repositoryBuildIsFresh(): Promise<boolean> {
  const built = await stat(path.join(repoRoot, compiledEntry)).catch(() => null);
  if (!built) return false;
  const inputs = [
    'src',
    'workflows',
    'adapters',
    'drizzle',
    'scripts',
    'tsconfig.json',
    'tsconfig.build.json',
  ];
  for (const input of inputs) {
    const at = path.join(repoRoot, input);
    const info = await stat(at);
    const files = info.isDirectory()
      ? (await readdir(at, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => path.join(e.parentPath, e.name))
      : [at];
    for (const file of files) if ((await stat(file)).mtimeMs > built.mtimeMs) return false;
  }
  return true;
}
