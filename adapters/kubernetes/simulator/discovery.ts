import type { ResourceType } from './resource-types.ts';
import { discoveryResource } from './resource-types.ts';

export const serverVersion = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.0-tke.1',
  gitCommit: '7c48c2bd72b9bf5c44d21d7338cc7bea77d0ad2a',
  gitTreeState: 'clean',
  buildDate: '2024-04-17T17:27:03Z',
  goVersion: 'go1.22.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function groupsOf(types: ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (t.group === '') continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return groups;
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/**
 * Legacy (unaggregated) discovery. Answered as plain `application/json`, so kubectl falls back
 * from aggregated discovery by itself. Returns undefined when the path is not discovery.
 */
export function discovery(path: string, types: ResourceType[], host: string): unknown {
  if (path === '/version') return serverVersion;
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    };
  }
  const groups = groupsOf(types);
  if (path === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => apiGroup(name, versions)),
    };
  }
  const core = /^\/api\/(v1)$/.exec(path);
  const named = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (core !== null || named !== null) {
    const group = named?.[1] ?? '';
    const version = named?.[2] ?? 'v1';
    const served = types.filter((t) => t.group === group && t.version === version);
    if (served.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group === '' ? version : `${group}/${version}`,
      resources: served.flatMap(discoveryResource),
    };
  }
  const groupOnly = /^\/apis\/([^/]+)$/.exec(path);
  if (groupOnly !== null && groups.has(groupOnly[1]!)) {
    return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(groupOnly[1]!, groups.get(groupOnly[1]!)!) };
  }
  return undefined;
}
