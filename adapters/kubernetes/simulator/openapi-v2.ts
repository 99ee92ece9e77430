import { stringify as toYaml } from 'yaml';
import { serverVersion } from './discovery.ts';
import type { OpenApiSchema } from './openapi-schemas.ts';
import { customResourceSchema, objectMetaName, objectMetaSchema, schemaNameOf } from './openapi-schemas.ts';
import { ProtobufWriter } from './protobuf-writer.ts';
import type { ResourceType } from './resource-types.ts';

/** The type kube-openapi answers with: the Accept's `@v1.0` is not valid in a Content-Type (Go's mime refuses it). */
export const openApiV2ContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** A v3 schema in v2 terms: `$ref`s point at definitions, and metadata's `allOf` wrapper goes. */
function toV2(schema: OpenApiSchema): OpenApiSchema {
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]!.$ref : undefined);
  if (ref !== undefined) {
    return { $ref: ref.replace('#/components/schemas/', '#/definitions/'), description: schema.description };
  }
  return {
    ...schema,
    ...(schema.properties === undefined
      ? {}
      : { properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, toV2(v)])) }),
    ...(schema.items === undefined ? {} : { items: toV2(schema.items) }),
    ...(typeof schema.additionalProperties === 'object'
      ? { additionalProperties: toV2(schema.additionalProperties) }
      : {}),
  };
}

/** gnostic's openapi_v2.Schema (field numbers from OpenAPIv2.proto). */
function writeSchema(w: ProtobufWriter, s: OpenApiSchema & { pattern?: string; minItems?: number }): void {
  w.string(1, s.$ref).string(2, s.format).string(4, s.description).string(13, s.pattern);
  w.integer(15, s.minItems).strings(19, s.required);
  if (typeof s.additionalProperties === 'object') {
    const inner = s.additionalProperties;
    w.message(21, (a) => a.message(1, (x) => writeSchema(x, inner)));
  } else if (s.additionalProperties === true) w.message(21, (a) => a.integer(2, 1));
  if (s.type !== undefined) w.message(22, (t) => t.strings(1, [s.type!]));
  if (s.items !== undefined) w.message(23, (i) => i.message(1, (x) => writeSchema(x, s.items!)));
  if (s.properties !== undefined) {
    w.message(25, (p) => {
      for (const [name, value] of Object.entries(s.properties!)) {
        p.message(1, (n) => n.string(1, name).message(2, (x) => writeSchema(x, value)));
      }
    });
  }
  for (const [name, value] of Object.entries(s)) {
    if (!name.startsWith('x-')) continue;
    // Vendor extensions travel as YAML in gnostic's Any.
    w.message(31, (n) => n.string(1, name).message(2, (a) => a.string(2, toYaml(value))));
  }
}

export interface OpenApiV2Document {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, never>;
  definitions: Record<string, OpenApiSchema>;
}

/**
 * `/openapi/v2` with the custom resources' schemas and ObjectMeta: kubectl up to 1.28 needs it
 * to apply or explain at all. Built-in kinds are left out on purpose: kubectl would build its
 * strategic merge patches from their (trimmed) schemas instead of its own complete ones.
 */
export function openApiV2(
  types: ResourceType[],
  crdSchemaOf: (t: ResourceType) => unknown,
): OpenApiV2Document {
  const definitions: Record<string, OpenApiSchema> = { [objectMetaName]: objectMetaSchema };
  for (const t of types.filter((x) => x.custom)) {
    const gvk = [{ group: t.group, kind: t.kind, version: t.version }];
    definitions[schemaNameOf(t)] = {
      ...toV2(customResourceSchema(crdSchemaOf(t))),
      'x-kubernetes-group-version-kind': gvk,
    };
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: serverVersion.gitVersion },
    paths: {},
    definitions,
  };
}

/** The document as gnostic's protobuf, which client-go asks for and decodes. */
export function encodeOpenApiV2(doc: OpenApiV2Document): Buffer {
  const w = new ProtobufWriter();
  w.string(1, doc.swagger).message(2, (info) => info.string(1, doc.info.title).string(2, doc.info.version));
  w.message(8, () => {});
  w.message(9, (d) => {
    for (const [name, schema] of Object.entries(doc.definitions)) {
      d.message(1, (n) => n.string(1, name).message(2, (x) => writeSchema(x, schema)));
    }
  });
  return w.finish();
}
