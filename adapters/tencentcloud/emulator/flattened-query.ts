import { CloudApiError } from './cloud-api-error.ts';

/**
 * The parameters of a GET request, which the API takes flattened in the query string
 * (`SecurityGroupIds.0=sg-1&Filters.0.Name=…&Filters.0.Values.0=…`), unflattened into the nested
 * shape a JSON body has: a numeric segment is an array index, any other an object key. Values stay
 * strings; the action's request shape then types them (`Limit=10` fills a number field, stays a
 * string in a string field), as the API types query values by the action's parameters.
 */
type Node = Record<string, unknown> | unknown[];

function malformed(name: string): CloudApiError {
  return new CloudApiError('InvalidParameter', `The query parameter \`${name}\` is malformed.`);
}

function child(parent: Node, key: string, next: string | undefined, name: string): unknown {
  const existing = (parent as Record<string, unknown>)[key];
  if (next === undefined) return existing;
  const wantArray = /^\d+$/.test(next);
  if (existing === undefined) {
    const created: Node = wantArray ? [] : {};
    (parent as Record<string, unknown>)[key] = created;
    return created;
  }
  if (typeof existing !== 'object' || existing === null || Array.isArray(existing) !== wantArray)
    throw malformed(name);
  return existing;
}

export function unflattenQuery(query: string | URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const path = name.split('.');
    if (path.some((segment) => segment === '')) throw malformed(name);
    let node: Node = root;
    path.forEach((segment, i) => {
      if (Array.isArray(node) && !/^\d+$/.test(segment)) throw malformed(name);
      const next = path[i + 1];
      if (next === undefined) {
        if ((node as Record<string, unknown>)[segment] !== undefined) throw malformed(name);
        (node as Record<string, unknown>)[segment] = value;
        return;
      }
      node = child(node, segment, next, name) as Node;
    });
  }
  return compactArrays(root) as Record<string, unknown>;
}

/** `X.1=a` without `X.0` leaves a hole; the list keeps the given items in index order. */
function compactArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compactArrays);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactArrays(v)]));
  return value;
}
