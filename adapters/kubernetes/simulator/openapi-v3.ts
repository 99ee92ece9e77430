import { createHash } from 'node:crypto';
import { serverVersion } from './discovery.ts';
import type { OpenApiSchema } from './openapi-schemas.ts';
import {
  builtInSchema,
  customResourceSchema,
  objectMetaName,
  objectMetaSchema,
  schemaNameOf,
} from './openapi-schemas.ts';
import type { ResourceType } from './resource-types.ts';

function gvPath(t: ResourceType): string {
  return t.group === '' ? `api/${t.version}` : `apis/${t.group}/${t.version}`;
}

function gvDocument(served: ResourceType[], crdSchemaOf: (t: ResourceType) => unknown): unknown {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, OpenApiSchema> = { [objectMetaName]: objectMetaSchema };
  for (const t of served) {
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const base = `/${gvPath(t)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}/{name}`;
    // No requestBody: kubectl then keeps its built-in strategic-merge metadata for apply.
    paths[base] = {
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
      },
    };
    const schema = t.custom ? customResourceSchema(crdSchemaOf(t)) : builtInSchema(t);
    schemas[schemaNameOf(t)] = { ...schema, 'x-kubernetes-group-version-kind': [gvk] };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion.gitVersion },
    paths,
    components: { schemas },
  };
}

/**
 * OpenAPI v3 as kube-apiserver serves it, trimmed to what kubectl reads: each kind's schema
 * (a custom resource's from its CRD) for `kubectl explain`, and the PATCH operations'
 * `fieldValidation` parameter, from which kubectl learns to validate server-side. The index's
 * hashes change with the documents, so kubectl's cache never serves a stale schema.
 */
export function openApiV3(
  path: string,
  types: ResourceType[],
  crdSchemaOf: (t: ResourceType) => unknown,
): unknown {
  const groupVersions = [...new Set(types.map(gvPath))];
  const documentOf = (gv: string) =>
    gvDocument(
      types.filter((t) => gvPath(t) === gv),
      crdSchemaOf,
    );
  if (path === '/openapi/v3') {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of groupVersions) {
      const hash = createHash('sha512')
        .update(JSON.stringify(documentOf(gv)))
        .digest('hex')
        .toUpperCase();
      paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
    }
    return { paths };
  }
  const gv = path.replace(/^\/openapi\/v3\//, '');
  if (!path.startsWith('/openapi/v3/') || !groupVersions.includes(gv)) return undefined;
  return documentOf(gv);
}
