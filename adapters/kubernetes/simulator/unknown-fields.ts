interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** Fields every object has whether or not the schema lists them. */
const rootFields = new Set(['apiVersion', 'kind', 'metadata']);

function walk(value: unknown, schema: Schema | undefined, path: string, out: string[]): void {
  if (schema === undefined || schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (path === '' && rootFields.has(key)) continue;
    const declared = schema.properties?.[key];
    if (declared !== undefined) walk(child, declared, field, out);
    else if (typeof schema.additionalProperties === 'object')
      walk(child, schema.additionalProperties, field, out);
    else if (schema.properties !== undefined && schema.additionalProperties !== true) out.push(field);
  }
}

/**
 * The fields of an object its structural schema does not declare, in the form the API server
 * names them under `fieldValidation=Strict` (`spec.foo`, `spec.list[0].bar`).
 */
export function unknownFields(object: unknown, schema: unknown): string[] {
  const out: string[] = [];
  walk(object, schema as Schema, '', out);
  return out;
}
