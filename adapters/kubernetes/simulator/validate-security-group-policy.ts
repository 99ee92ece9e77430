import type { FieldCause } from './api-status.ts';
import type { KubeObject } from './kube-object.ts';

const groupIdPattern = /^sg-[0-9a-z]{8}$/;

/** The CRD's OpenAPI rules, as the add-on's schema enforces them. */
export function validateSecurityGroupPolicy(object: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec: Record<string, unknown> | undefined = object.spec;
  if (spec === undefined || spec === null || typeof spec !== 'object') {
    return [{ field: 'spec', message: 'Required value', reason: 'FieldValueRequired' }];
  }
  const selectors = ['podSelector', 'serviceAccountSelector'].filter(
    (k) => spec[k] !== undefined && spec[k] !== null,
  );
  if (selectors.length !== 1) {
    causes.push({
      field: 'spec',
      message: `Invalid value: "object": exactly one of podSelector or serviceAccountSelector must be set (got ${selectors.length === 0 ? 'none' : 'both'})`,
    });
  }
  const groups = spec['securityGroups'] as { groupIds?: unknown } | undefined;
  const ids = groups?.groupIds;
  if (!Array.isArray(ids) || ids.length === 0) {
    causes.push({
      field: 'spec.securityGroups.groupIds',
      message: 'Required value: at least one security group id is required',
      reason: 'FieldValueRequired',
    });
  } else {
    ids.forEach((id, index) => {
      if (typeof id !== 'string' || !groupIdPattern.test(id)) {
        const field = `spec.securityGroups.groupIds[${index}]`;
        causes.push({
          field,
          message: `Invalid value: ${JSON.stringify(id)}: ${field} in body should match '^sg-[0-9a-z]{8}$'`,
        });
      }
    });
  }
  return causes;
}
