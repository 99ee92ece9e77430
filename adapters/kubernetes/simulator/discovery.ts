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

function gvPath(t: ResourceType): string {
  return t.group === '' ? `api/${t.version}` : `apis/${t.group}/${t.version}`;
}

/**
 * A minimal OpenAPI v3: enough for kubectl to learn that PATCH takes `fieldValidation`
 * (so it validates server-side), without strategic-merge schemas (it then uses its built-in ones).
 */
export function openApiV3(path: string, types: ResourceType[]): unknown {
  if (path === '/openapi/v3') {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const t of types) paths[gvPath(t)] = { serverRelativeURL: `/openapi/v3/${gvPath(t)}?hash=sim` };
    return { paths };
  }
  const gv = path.replace(/^\/openapi\/v3\//, '');
  const served = types.filter((t) => gvPath(t) === gv);
  if (!path.startsWith('/openapi/v3/') || served.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of served) {
    const base = `/${gvPath(t)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
