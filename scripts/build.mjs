/* global process, console, URL */
// `npm run build`: compiles src/, workflows/ and adapters/ to ESM JavaScript (tsconfig.build.json),
// then copies beside it what the code reads at run time relative to its own module URL: the
// migrations (src/store/open-database.ts reads ../../drizzle) and the console page's HTML, CSS and
// browser scripts. `node <out>/src/cli.js` then needs only the package.json and node_modules above it.
//
//   node scripts/build.mjs [--out-dir DIR] [--no-check]
//
// DIR defaults to tsconfig.build.json's outDir (dist), which is what the Dockerfile copies.
// --no-check emits without type checking (tsc --noCheck): the tests that build use it, because
// `npm run typecheck` checks the same files and the emitted JavaScript does not differ.
import { spawnSync } from 'node:child_process';
import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Folders read at run time, copied to the same place under the output; only these kinds of files. */
const assetFolders = ['drizzle', 'src/console'];
const assetExtensions = new Set(['.sql', '.json', '.html', '.css', '.js']);

const tsconfigPath = path.join(root, 'tsconfig.build.json');
const { outDir: defaultOutDir } = JSON.parse(await readFile(tsconfigPath, 'utf8')).compilerOptions;
const { values } = parseArgs({
  options: {
    'out-dir': { type: 'string', default: defaultOutDir },
    'no-check': { type: 'boolean', default: false },
  },
});
const outDir = path.resolve(root, values['out-dir']);
// The output is emptied first, so it must be a directory of its own: never the repository or above it.
if (!path.relative(outDir, root).startsWith('..') || outDir === path.parse(outDir).root) {
  console.error(`build: refusing to use ${outDir} as the output directory`);
  process.exit(2);
}
await rm(outDir, { recursive: true, force: true });

const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
const compiled = spawnSync(
  process.execPath,
  [tsc, '-p', tsconfigPath, '--outDir', outDir, ...(values['no-check'] ? ['--noCheck'] : [])],
  { stdio: 'inherit' },
);
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

for (const folder of assetFolders) {
  const source = path.join(root, folder);
  await cp(source, path.join(outDir, folder), {
    recursive: true,
    // Directories (no extension) are walked; TypeScript sources are already compiled.
    filter: (file) => !path.extname(file) || assetExtensions.has(path.extname(file)),
  });
}
console.log(`build: ${path.join(outDir, 'src/cli.js')} is ready`);
