/**
 * A cluster-wide watch of one kind of object (SecurityGroupPolicies, pods), kept open the way an
 * informer keeps it: resumed from the last resourceVersion seen when the server ends the connection
 * (bookmarks move that version on while nothing changes), and listed again on 410 Gone, when the
 * server no longer holds the changes since then — the differences from what was known are told as
 * the changes they are.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import type { Cluster } from '../../src/ports/cluster.ts';
import { clusterActionOf } from '../../src/ports/cluster.ts';
import { mapKubernetesError } from './map-kubernetes-error.ts';

/** A watch the server ends sooner than this is resumed only after this long: no hammering. */
const quickCloseMs = 1000;

export interface WatchedObject {
  metadata?: { namespace?: string; name?: string; resourceVersion?: string };
}

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchOptions<T extends WatchedObject, C extends { type: WatchType }> {
  kubeConfig: k8s.KubeConfig;
  /** The cluster-wide path, `/api/v1/pods` or `/apis/<group>/<version>/<plural>`. */
  path: string;
  /** One list of every object, with the list's resourceVersion (what a relist resumes from). */
  list(): Promise<{ items: T[]; resourceVersion: string | undefined }>;
  /** The port's methods behind the watch and the relist, named in the errors they raise. */
  actions: { watch: keyof Cluster; list: keyof Cluster };
  /** What a change tells of the object (a deletion found by a relist repeats what was last told). */
  changeOf(type: WatchType, object: T): C;
}

type Outcome = 'closed' | 'gone' | 'aborted';

export async function watchObjects<T extends WatchedObject, C extends { type: WatchType }>(
  options: WatchOptions<T, C>,
  onChange: (change: C) => void,
  signal: AbortSignal,
): Promise<void> {
  const action = clusterActionOf(options.actions.watch, []);
  const watch = new k8s.Watch(options.kubeConfig);
  /** `namespace/name` → resourceVersion and last change told, of every object the watch told about. */
  const known = new Map<string, { version: string; change: C }>();
  let resourceVersion: string | undefined;
  const tell = (key: string, type: WatchType, object: T) => {
    const change = options.changeOf(type, object);
    if (type === 'DELETED') known.delete(key);
    else known.set(key, { version: object.metadata?.resourceVersion ?? '', change });
    onChange(change);
  };

  const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

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
            const metadata = (object as T | null)?.metadata ?? {};
            if (metadata.resourceVersion) resourceVersion = metadata.resourceVersion;
            if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
            const { namespace, name } = metadata;
            if (!namespace || !name) return;
            tell(keyOf(namespace, name), type, object as T);
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

  /** After 410: the objects as they are now, told as the changes since what was known. */
  const relist = async () => {
    let listed: Awaited<ReturnType<WatchOptions<T, C>['list']>>;
    try {
      listed = await options.list();
    } catch (error) {
      throw mapKubernetesError(error, clusterActionOf(options.actions.list, []));
    }
    const now = new Map<string, T>();
    for (const item of listed.items) {
      const { namespace, name } = item.metadata ?? {};
      if (namespace && name) now.set(keyOf(namespace, name), item);
    }
    resourceVersion = listed.resourceVersion;
    for (const [key, was] of [...known]) {
      if (now.has(key)) continue;
      known.delete(key);
      onChange({ ...was.change, type: 'DELETED' });
    }
    for (const [key, item] of now) {
      const was = known.get(key);
      if (was === undefined) tell(key, 'ADDED', item);
      else if (was.version !== (item.metadata?.resourceVersion ?? '')) tell(key, 'MODIFIED', item);
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
