/**
 * The cluster-wide watch of SecurityGroupPolicies, kept open the way an informer keeps it: resumed
 * from the last resourceVersion seen when the server ends the connection (bookmarks move that
 * version on while nothing changes), and listed again on 410 Gone, when the server no longer holds
 * the changes since then — the differences from what was known are told as the changes they are.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import type { SecurityGroupPolicyChange } from '../../src/ports/cluster.ts';
import { clusterActionOf } from '../../src/ports/cluster.ts';
import { mapKubernetesError } from './map-kubernetes-error.ts';

/** A watch the server ends sooner than this is resumed only after this long: no hammering. */
const quickCloseMs = 1000;

interface PolicyMetadata {
  metadata?: { namespace?: string; name?: string; resourceVersion?: string };
}

export interface PolicyWatchOptions {
  kubeConfig: k8s.KubeConfig;
  /** The cluster-wide path of the policies, `/apis/<group>/<version>/<plural>`. */
  path: string;
  /** One list of every policy, with the list's resourceVersion (what a relist resumes from). */
  list(): Promise<{ items: PolicyMetadata[]; resourceVersion: string | undefined }>;
}

type Outcome = 'closed' | 'gone' | 'aborted';

export async function watchSecurityGroupPolicies(
  options: PolicyWatchOptions,
  onChange: (change: SecurityGroupPolicyChange) => void,
  signal: AbortSignal,
): Promise<void> {
  const action = clusterActionOf('watchSecurityGroupPolicies', []);
  const watch = new k8s.Watch(options.kubeConfig);
  /** `namespace/name` → resourceVersion of every policy the watch has told about. */
  let known = new Map<string, string>();
  let resourceVersion: string | undefined;

  const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;
  const splitKey = (key: string) => {
    const slash = key.indexOf('/');
    return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
  };

  /** One watch request, until the server ends it, says 410, fails, or `signal` aborts. */
  const watchOnce = () =>
    new Promise<Outcome>((resolve, reject) => {
      if (signal.aborted) return resolve('aborted');
      let controller: AbortController | null = null;
      /** The server answered 200: a failure from then on is a dropped connection, to resume. */
      let established = false;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        controller?.abort();
        outcome();
      };
      const onAbort = () => settle(() => resolve('aborted'));
      signal.addEventListener('abort', onAbort);
      const fail = (error: unknown) =>
        settle(() => reject(mapKubernetesError(asApiException(error), action)));
      watch
        .watch(
          options.path,
          { allowWatchBookmarks: true, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
          (type: string, object: unknown) => {
            if (settled) return;
            established = true;
            if (type === 'ERROR') {
              const status = object as { code?: number; message?: string };
              if (status.code === 410) settle(() => resolve('gone'));
              else fail(statusException(status));
              return;
            }
            const metadata = (object as PolicyMetadata | null)?.metadata ?? {};
            if (metadata.resourceVersion) resourceVersion = metadata.resourceVersion;
            if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
            const { namespace, name } = metadata;
            if (!namespace || !name) return;
            const key = keyOf(namespace, name);
            if (type === 'DELETED') known.delete(key);
            else known.set(key, metadata.resourceVersion ?? '');
            onChange({ type, namespace, name });
          },
          (error: unknown) => {
            if (settled) return;
            if (signal.aborted) settle(() => resolve('aborted'));
            else if (error && !established) fail(error);
            else settle(() => resolve('closed'));
          },
        )
        .then((c) => {
          controller = c;
          if (settled) c.abort();
          else established = true;
        }, fail);
    });

  /** After 410: the policies as they are now, told as the changes since what was known. */
  const relist = async () => {
    let listed: Awaited<ReturnType<PolicyWatchOptions['list']>>;
    try {
      listed = await options.list();
    } catch (error) {
      throw mapKubernetesError(error, clusterActionOf('listSecurityGroupPolicies', []));
    }
    const now = new Map<string, string>();
    for (const { metadata } of listed.items)
      if (metadata?.namespace && metadata.name)
        now.set(keyOf(metadata.namespace, metadata.name), metadata.resourceVersion ?? '');
    const before = known;
    known = now;
    resourceVersion = listed.resourceVersion;
    for (const key of before.keys()) if (!now.has(key)) onChange({ type: 'DELETED', ...splitKey(key) });
    for (const [key, version] of now) {
      const was = before.get(key);
      if (was === undefined) onChange({ type: 'ADDED', ...splitKey(key) });
      else if (was !== version) onChange({ type: 'MODIFIED', ...splitKey(key) });
    }
  };

  for (;;) {
    const opened = Date.now();
    const outcome = await watchOnce();
    if (outcome === 'aborted') return;
    if (outcome === 'gone') {
      await relist();
      continue;
    }
    const lasted = Date.now() - opened;
    if (lasted < quickCloseMs) {
      try {
        await sleep(quickCloseMs - lasted, undefined, { signal });
      } catch {
        return; // aborted while pausing
      }
    }
  }
}

/** A watch answered with another status than 200 fails with a plain Error carrying `statusCode`. */
function asApiException(error: unknown): unknown {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode !== 'number' || error instanceof k8s.ApiException) return error;
  return new k8s.ApiException(statusCode, (error as Error).message, '', {});
}

/** An ERROR event's Status, as the ApiException a request failing with it would have been. */
function statusException(status: { code?: number; message?: string }): k8s.ApiException<string> {
  return new k8s.ApiException(
    status.code ?? 500,
    status.message ?? 'watch error',
    JSON.stringify(status),
    {},
  );
}
