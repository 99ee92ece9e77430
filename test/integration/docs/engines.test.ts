/**
 * package.json's `engines.node` is a promise: every installed package runs on the lowest Node it
 * allows. `npm ci` only warns (EBADENGINE) when a dependency wants a newer Node, so this test turns
 * that warning into a failure, reading what npm recorded in package-lock.json.
 */
import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  engines?: Record<string, string> | string[];
  dev?: boolean;
  optional?: boolean;
}

const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;

describe('the Node engine range package.json declares', () => {
  it('is a range with a lowest version', async () => {
    const pkg = await readJson<{ engines?: { node?: string } }>('package.json');
    expect(semver.validRange(pkg.engines?.node ?? '')).not.toBeNull();
    expect(semver.minVersion(pkg.engines!.node!)).not.toBeNull();
  });

  it("excludes nobody: every locked package's engines.node admits its lowest version", async () => {
    const pkg = await readJson<{ engines: { node: string } }>('package.json');
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    const lock = await readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');

    const checked: string[] = [];
    const excluding: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      if (where === '') continue;
      // An old form lists engines as strings ("node >= 0.8"); npm itself ignores it.
      const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!wanted) continue;
      checked.push(where);
      if (!semver.satisfies(lowest, wanted, { includePrerelease: true }))
        excluding.push(`${where}@${entry.version}: engines.node ${wanted} excludes Node ${lowest}`);
    }
    // The lock records engines for hundreds of packages; an empty walk would prove nothing.
    expect(checked.length).toBeGreaterThan(100);
    expect(excluding).toEqual([]);
  });

  it('is the one the lock file records for the project itself', async () => {
    const pkg = await readJson<{ engines: { node: string } }>('package.json');
    const lock = await readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');
    expect(lock.packages['']?.engines).toEqual(pkg.engines);
  });
});
