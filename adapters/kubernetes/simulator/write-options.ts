import { invalid } from './api-status.ts';
import type { FieldCause } from './api-status.ts';

/** How a write is carried out, from its query parameters. */
export interface WriteOptions {
  /** `dryRun=All`: admitted, validated and answered as if done, but nothing is stored. */
  dryRun?: boolean;
  /**
   * What the client hears of fields a custom resource's schema does not declare (they are pruned
   * either way): `Strict` refuses the write with 400, `Warn` (kube-apiserver's default) answers
   * them in Warning headers, `Ignore` says nothing.
   */
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
  /** Collects the warnings the write earns, for the answer's `Warning` headers. */
  warnings?: string[];
}

const fieldValidations = ['Ignore', 'Strict', 'Warn'] as const;

export const applyPatchType = 'application/apply-patch+yaml';

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
  request: { deleteOptions?: { dryRun?: unknown }; patchType?: string } = {},
): WriteOptions {
  const causes: FieldCause[] = [];
  const { deleteOptions, patchType } = request;
  if (patchType === applyPatchType && (query.get('fieldManager') ?? '') === '') {
    causes.push({
      field: 'fieldManager',
      reason: 'FieldValueRequired',
      message: 'Required value: is required for apply patch',
    });
  }
  if (patchType !== undefined && patchType !== applyPatchType && query.has('force')) {
    causes.push({
      field: 'force',
      reason: 'FieldValueForbidden',
      message: 'Forbidden: may not be specified for non-apply patch',
    });
  }
  const dryRun =
    deleteOptions === undefined
      ? query.getAll('dryRun')
      : (Array.isArray(deleteOptions.dryRun) ? deleteOptions.dryRun : []).map(String);
  if (dryRun.some((v) => v !== 'All')) causes.push(notSupported('dryRun', dryRun, ['All']));
  const fieldValidation = query.get('fieldValidation') ?? '';
  const known = fieldValidations.find((v) => v === fieldValidation);
  if (fieldValidation !== '' && known === undefined) {
    causes.push(notSupported('fieldValidation', fieldValidation, ['', ...fieldValidations]));
  }
  if (causes.length > 0) {
    throw invalid({ kind: optionsKind[method] ?? 'CreateOptions', group: 'meta.k8s.io' }, '', causes);
  }
  return { dryRun: dryRun.length > 0, fieldValidation: known ?? 'Warn', warnings: [] };
}

/** The `Warning` header kube-apiserver sends for a write's warnings (code 299, agent "-"). */
export function warningHeaders(options: WriteOptions): Record<string, string> {
  const warnings = options.warnings ?? [];
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}
