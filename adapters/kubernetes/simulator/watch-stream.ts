import type { ServerResponse } from 'node:http';
import { gone } from './api-status.ts';
import { matchesFields, parseFieldSelector } from './field-selector.ts';
import type { KubeObject } from './kube-object.ts';
import { matchesRequirements, parseLabelSelector } from './label-selector.ts';
import type { ObjectStore } from './object-store.ts';
import { queryFlag } from './query-flag.ts';
import type { ResourceType } from './resource-types.ts';
import { apiVersionOf } from './resource-types.ts';

export interface WatchRequest {
  type: ResourceType;
  namespace: string | undefined;
  query: URLSearchParams;
  /** How often to send a BOOKMARK when the client sent `allowWatchBookmarks=true`. */
  bookmarkIntervalMs: number;
}

/**
 * A chunked watch: one `{type, object}` JSON per line. Without a resourceVersion (or with
 * "0") the current objects come first as ADDED; with one, the change log is replayed from
 * there, or a 410 ERROR event is sent when it is too old (clients then relist). With
 * `allowWatchBookmarks=true`, BOOKMARK events carry the latest resourceVersion periodically,
 * so a client resumes from there instead of from an expired version.
 */
export function streamWatch(
  store: ObjectStore,
  request: WatchRequest,
  res: ServerResponse,
  open: Set<ServerResponse>,
): void {
  const { type, namespace, query } = request;
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const matches = (o: KubeObject) =>
    (namespace === undefined || o.metadata.namespace === namespace) &&
    matchesRequirements(o.metadata.labels, labels) &&
    matchesFields(o, fields);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  open.add(res);
  const send = (eventType: string, object: unknown) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };

  const since = query.get('resourceVersion');
  if (since === null || since === '' || since === '0') {
    for (const o of store.list(type.plural, type.namespaced ? namespace : undefined))
      if (matches(o)) send('ADDED', o);
  } else {
    const changes = store.changesSince(Number(since), type.plural);
    if (changes === undefined) {
      send('ERROR', gone(`too old resource version: ${since} (${store.oldestResumable})`).status);
      open.delete(res);
      res.end();
      return;
    }
    for (const e of changes) if (e.plural === type.plural && matches(e.object)) send(e.type, e.object);
  }

  const unsubscribe = store.subscribe((e) => {
    if (e.plural === type.plural && matches(e.object)) send(e.type, e.object);
  });
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
  const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
  const bookmarks = queryFlag(query, 'allowWatchBookmarks')
    ? setInterval(() => {
        send('BOOKMARK', {
          kind: type.kind,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: String(store.resourceVersion) },
        });
      }, request.bookmarkIntervalMs)
    : undefined;
  res.on('close', () => {
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
    if (bookmarks !== undefined) clearInterval(bookmarks);
    open.delete(res);
  });
}
