/** Shared by the deploy tests: the repository's files, parsed, and what the code says they must contain. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../../src/config.ts';
import { clusterActionOf, clusterActions } from '../../../src/ports/cluster.ts';
import type { Cluster, WorkloadKind } from '../../../src/ports/cluster.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

export const readRepoFile = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Every document of a multi-document YAML text; a syntax error in any of them throws. */
export function yamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS() as unknown;
  });
}

/** The YAML files of a folder below deploy/ (not recursive). */
export function yamlFilesIn(folder: string): string[] {
  return readdirSync(path.join(repoRoot, folder))
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => `${folder}/${f}`);
}

/** The variables loadConfig reads, found by handing it an environment that records every lookup. */
export function variablesLoadConfigReads(): string[] {
  const seen = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, key) {
      if (typeof key === 'string') seen.add(key);
      return undefined;
    },
  });
  try {
    loadConfig(env);
  } catch {
    // An empty environment is an invalid configuration; only the lookups matter here.
  }
  return [...seen].sort();
}

// Every workload kind; `satisfies` fails the type check when a kind is added to the port and not here.
const workloadKinds = Object.keys({
  Deployment: true,
  StatefulSet: true,
  DaemonSet: true,
} satisfies Record<WorkloadKind, true>) as WorkloadKind[];

/** The API group of each resource sgops names; a resource missing here fails the RBAC test. */
export const apiGroupOf: Record<string, string> = {
  namespaces: '',
  nodes: '',
  pods: '',
  events: '',
  serviceaccounts: '',
  replicasets: 'apps',
  deployments: 'apps',
  statefulsets: 'apps',
  daemonsets: 'apps',
  customresourcedefinitions: 'apiextensions.k8s.io',
  securitygrouppolicies: 'vpcresources.tke.cloud.tencent.com',
};

/** "<verb> <resource>" for every request the Cluster port can make, from `clusterActions`. */
export function clusterRequests(): string[] {
  const actions = new Set<string>();
  for (const method of Object.keys(clusterActions) as (keyof Cluster)[]) {
    if (typeof clusterActions[method] === 'string') actions.add(clusterActionOf(method, []));
    else for (const kind of workloadKinds) actions.add(clusterActionOf(method, ['ns', { kind, name: 'w' }]));
  }
  return [...actions].sort();
}

/** RBAC permissions as "<apiGroup>/<resource>:<verb>" strings, the form both sides are compared in. */
export function permission(apiGroup: string, resource: string, verb: string): string {
  return `${apiGroup}/${resource}:${verb}`;
}
