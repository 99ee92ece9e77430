/**
 * sgops' version, from the package.json above this module: ../../package.json from src/cli, and
 * ../../../package.json from a build's dist/src/cli, so the first one up that names sgops.
 */
import { readFile } from 'node:fs/promises';

export async function packageVersion(from: URL = new URL('.', import.meta.url)): Promise<string> {
  for (let dir = from; ; dir = new URL('..', dir)) {
    const found = await readFile(new URL('package.json', dir), 'utf8').catch(() => null);
    if (found !== null) {
      const pkg = JSON.parse(found) as { name?: string; version?: string };
      if (pkg.name === 'sgops' && pkg.version) return pkg.version;
    }
    if (new URL('..', dir).href === dir.href) throw new Error('no package.json of sgops above the CLI');
  }
}
