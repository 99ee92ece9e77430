interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** Fields every object has whether or not the schema lists them. */
const rootFields = new Set(['apiVersion', 'kind', 'metadata']);

/** Collects the undeclared fields' paths in `out`; with `prune`, also deletes them from `value`. */
function walk(value: unknown, schema: Schema | undefined, path: string, out: string[], prune: boolean): void {
  if (schema === undefined || schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, out, prune));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (path === '' && rootFields.has(key)) continue;
    const declared = schema.properties?.[key];
    if (declared !== undefined) walk(child, declared, field, out, prune);
    else if (typeof schema.additionalProperties === 'object')
      walk(child, schema.additionalProperties, field, out, prune);
    else if (schema.properties !== undefined && schema.additionalProperties !== true) {
      out.push(field);
      if (prune) delete (value as Record<string, unknown>)[key];
    }
  }
}

/**
 * The fields of an object its structural schema does not declare, in the form the API server
 * names them under `fieldValidation=Strict` (`spec.foo`, `spec.list[0].bar`).
 */
export function unknownFields(object: unknown, schema: unknown): string[] {
  const out: string[] = [];
  walk(object, schema as Schema, '', out, false);
  return out;
}

/**
 * Deletes from `object` (in place) the fields its structural schema does not declare, as the
 * apiextensions server prunes a custom resource before storing it; returns their paths.
 */
export function pruneUnknownFields(object: unknown, schema: unknown): string[] {
  const out: string[] = [];
  walk(object, schema as Schema, '', out, true);
  return out;
}
