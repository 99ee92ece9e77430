import { describe, expect, it } from 'vitest';
import { loadedModules } from '../../../bench/loaded-modules.ts';

describe('loadedModules (bench/loaded-modules.ts)', () => {
  it('sees the ES modules an import loads, with their package and size', async () => {
    const files = await loadedModules('@kubernetes/client-node');
    const observable = files.find((f) => f.file.endsWith('/dist/gen/types/ObservableAPI.js'));
    expect(observable?.owner).toBe('@kubernetes/client-node');
    expect(observable!.bytes).toBeGreaterThan(2 ** 20);
    // Its dependencies are attributed to their own packages.
    expect(files.some((f) => f.owner === 'js-yaml')).toBe(true);
  });

  it('sees CommonJS files required from CommonJS, which the ES module hook does not', async () => {
    const files = await loadedModules('pg');
    expect(files.some((f) => f.owner === 'pg' && f.file.endsWith('/lib/client.js'))).toBe(true);
    expect(files.some((f) => f.owner === 'pg-protocol')).toBe(true);
  });
});
