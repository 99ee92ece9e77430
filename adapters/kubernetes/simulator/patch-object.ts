import { badRequest, unsupportedMediaType } from './api-status.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch as Json);
  const result: JsonObject = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The patchMergeKey of the list fields kubectl sends strategic patches for. */
function mergeKeyFor(field: string, items: Json[]): string | undefined {
  const byField: Record<string, string> = {
    containers: 'name',
    initContainers: 'name',
    ephemeralContainers: 'name',
    env: 'name',
    volumes: 'name',
    volumeMounts: 'mountPath',
    imagePullSecrets: 'name',
    conditions: 'type',
    ownerReferences: 'uid',
    hostAliases: 'ip',
    topologySpreadConstraints: 'topologyKey',
  };
  if (field === 'ports') {
    // Container ports merge on containerPort, Service ports on port.
    return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  }
  return byField[field];
}

function strategicList(field: string, target: Json | undefined, patch: Json[]): Json[] {
  const key = mergeKeyFor(field, patch);
  if (key === undefined || !Array.isArray(target)) {
    return patch.filter((p) => !(isObject(p) && p['$patch'] !== undefined)).map((p) => stripDirectives(p));
  }
  const result: Json[] = structuredClone(target);
  for (const item of patch) {
    if (!isObject(item)) continue;
    if (item['$patch'] === 'replace') return patch.filter((p) => !(isObject(p) && p['$patch'] !== undefined));
    const index = result.findIndex((r) => isObject(r) && r[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index], item);
    else result.push(stripDirectives(item));
  }
  return result;
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = stripDirectives(v);
  return out;
}

/**
 * Strategic merge patch for the fields kubectl touches: maps merge, null deletes, keyed lists
 * merge by their patchMergeKey, `$patch: delete|replace` and `$setElementOrder`/`$retainKeys`
 * directives are honoured or dropped.
 */
export function strategicMergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch as Json);
  if (patch['$patch'] === 'replace') return stripDirectives(patch);
  const result: JsonObject = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((v) => !drop.has(JSON.stringify(v)));
      continue;
    }
    if (key.startsWith('$')) continue;
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = strategicList(key, result[key], value);
    else if (isObject(value)) result[key] = strategicMergePatch(result[key], value);
    else result[key] = value;
  }
  return result;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[]): { parent: JsonObject | Json[]; last: string } {
  let current: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(part)] as Json;
    else if (isObject(current)) current = current[part] as Json;
    else current = undefined as unknown as Json;
    if (current === undefined || current === null || typeof current !== 'object') {
      throw badRequest(`jsonpatch: path ${parts.join('/')} does not exist`);
    }
  }
  return { parent: current as JsonObject | Json[], last: parts[parts.length - 1] ?? '' };
}

function readPath(doc: Json, parts: string[]): Json {
  const { parent, last } = parentOf(doc, parts);
  const value = Array.isArray(parent) ? parent[Number(last)] : parent[last];
  if (value === undefined) throw badRequest(`jsonpatch: path /${parts.join('/')} does not exist`);
  return value;
}

function addAt(doc: Json, parts: string[], value: Json, replace: boolean): Json {
  if (parts.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(doc, parts);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (replace) parent[index] = structuredClone(value);
    else parent.splice(index, 0, structuredClone(value));
  } else {
    if (replace && !(last in parent))
      throw badRequest(`jsonpatch replace operation does not apply: doc is missing key: ${last}`);
    parent[last] = structuredClone(value);
  }
  return doc;
}

function removeAt(doc: Json, parts: string[]): Json {
  const { parent, last } = parentOf(doc, parts);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else {
    if (!(last in parent))
      throw badRequest(`jsonpatch remove operation does not apply: doc is missing path: /${parts.join('/')}`);
    delete parent[last];
  }
  return doc;
}

/** RFC 6902 JSON Patch. */
export function jsonPatch(target: unknown, operations: unknown): Json {
  if (!Array.isArray(operations))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = structuredClone(target as Json);
  for (const op of operations as JsonObject[]) {
    const parts = pointer(String(op['path'] ?? ''));
    switch (op['op']) {
      case 'add':
        doc = addAt(doc, parts, op['value'] as Json, false);
        break;
      case 'replace':
        doc = addAt(doc, parts, op['value'] as Json, true);
        break;
      case 'remove':
        doc = removeAt(doc, parts);
        break;
      case 'test':
        if (JSON.stringify(readPath(doc, parts)) !== JSON.stringify(op['value'])) {
          throw badRequest(
            `the server rejected our request due to an error in our request: testing value ${String(op['path'])} failed`,
          );
        }
        break;
      case 'move':
      case 'copy': {
        const from = pointer(String(op['from'] ?? ''));
        const value = readPath(doc, from);
        if (op['op'] === 'move') doc = removeAt(doc, from);
        doc = addAt(doc, parts, value, false);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${String(op['op'])}`);
    }
  }
  return doc;
}

/**
 * The patch types a resource takes, in the order kube-apiserver lists them: custom resources
 * have no strategic-merge schema, so the apiextensions server leaves that one out.
 */
export function patchTypesFor(custom: boolean): string[] {
  return custom
    ? ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
    : [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
        'application/apply-patch+yaml',
      ];
}

export function applyPatch(contentType: string, target: unknown, patch: unknown, custom: boolean): Json {
  const type = contentType.split(';')[0]!.trim();
  if (!patchTypesFor(custom).includes(type)) throw unsupportedMediaType(patchTypesFor(custom));
  if (type === 'application/json-patch+json') return jsonPatch(target, patch);
  if (type === 'application/merge-patch+json') return mergePatch(target, patch);
  if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(target, patch);
  throw unsupportedMediaType(patchTypesFor(custom));
}
