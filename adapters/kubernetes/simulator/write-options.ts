import { invalid } from './api-status.ts';
import type { FieldCause } from './api-status.ts';

/** How a write is carried out, from its query parameters. */
export interface WriteOptions {
  /** `dryRun=All`: admitted, validated and answered as if done, but nothing is stored. */
  dryRun?: boolean;
}

/** The meta.k8s.io options kind kube-apiserver decodes a write's query into, named in its 422. */
const optionsKind: Record<string, string> = {
  POST: 'CreateOptions',
  PUT: 'UpdateOptions',
  PATCH: 'PatchOptions',
  DELETE: 'DeleteOptions',
};

/** `field.NotSupported` as apimachinery words it: the value as JSON, the supported ones quoted. */
function notSupported(field: string, value: unknown, supported: string[]): FieldCause {
  return {
    field,
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`,
  };
}

/**
 * A write's options, checked as kube-apiserver checks them before touching the object: a
 * `dryRun` other than `All` is refused with 422 Invalid on the request's options kind. A DELETE
 * with a body (kubectl sends `DeleteOptions`) takes them from the body instead of the query.
 */
export function writeOptionsOf(
  method: string,
  query: URLSearchParams,
  deleteOptions?: { dryRun?: unknown },
): WriteOptions {
  const causes: FieldCause[] = [];
  const dryRun =
    deleteOptions === undefined
      ? query.getAll('dryRun')
      : (Array.isArray(deleteOptions.dryRun) ? deleteOptions.dryRun : []).map(String);
  if (dryRun.some((v) => v !== 'All')) causes.push(notSupported('dryRun', dryRun, ['All']));
  if (causes.length > 0) {
    throw invalid({ kind: optionsKind[method] ?? 'CreateOptions', group: 'meta.k8s.io' }, '', causes);
  }
  return { dryRun: dryRun.length > 0 };
}
