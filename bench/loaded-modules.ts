/**
 * What importing a module loads: every JavaScript file, grouped by package, sorted by source size —
 * to find what a process start-up loads that it does not need (`footprint`). The import runs in a
 * child Node process; ES modules are seen through a load hook, CommonJS ones in require.cache.
 * Usage: `npx tsx bench/loaded-modules.ts [module] [top]` — module defaults to `./dist/src/main.js`
 * (`npm run build` first); a package name or file URL also works.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const hook = new URL('./harness/loaded-modules-hook.mjs', import.meta.url).href;

export interface LoadedFile {
  file: string;
  bytes: number;
  /** The package under node_modules (`@scope/name` or `name`), or `(own)` for the repository's files. */
  owner: string;
}

export async function loadedModules(specifier: string): Promise<LoadedFile[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sgops-loaded-'));
  const list = path.join(dir, 'loaded.txt');
  try {
    const script = `import { register, createRequire } from 'node:module';
register(${JSON.stringify(hook)});
await import(${JSON.stringify(specifier)});
console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
process.exit(0);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, SGOPS_LOADED_MODULES: list },
      timeout: 60_000,
      maxBuffer: 64 * 2 ** 20,
    });
    const commonJs = (JSON.parse(stdout.trim().split('\n').at(-1)!) as string[]).map(
      (f) => pathToFileURL(f).href,
    );
    const esm = (await readFile(list, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const files = [...new Set([...esm, ...commonJs])].map((url) => fileURLToPath(url));
    return await Promise.all(
      files.map(async (file) => ({
        file,
        bytes: (await stat(file).catch(() => null))?.size ?? 0,
        owner: /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? '(own)',
      })),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2).padStart(7);

async function main(args: string[]): Promise<void> {
  const specifier = args[0] ?? pathToFileURL(path.join(repoRoot, 'dist/src/main.js')).href;
  const top = Number(args[1] ?? 25);
  const files = await loadedModules(specifier);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`${specifier}: ${files.length} files, ${mb(total).trim()} MB of source`);
  const byOwner = new Map<string, { count: number; bytes: number }>();
  for (const f of files) {
    const row = byOwner.get(f.owner) ?? { count: 0, bytes: 0 };
    row.count += 1;
    row.bytes += f.bytes;
    byOwner.set(f.owner, row);
  }
  console.log('\nby package (MB of source, files):');
  for (const [owner, row] of [...byOwner].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top))
    console.log(`${mb(row.bytes)}  ${String(row.count).padStart(5)}  ${owner}`);
  console.log('\nlargest files:');
  for (const f of [...files].sort((a, b) => b.bytes - a.bytes).slice(0, top))
    console.log(`${mb(f.bytes)}  ${f.file.replace(/^.*?(?=node_modules\/)/, '') || f.file}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
