import type { DescribeSecurityGroupsRequest } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { CloudApiError } from './cloud-api-error.ts';
import type { StoredGroup } from './security-group-store.ts';

/**
 * DescribeSecurityGroups' documented order: `OrderField` `CreatedTime` or `UpdateTime` (no
 * default: without it the list keeps its own order), `OrderDirection` `ASC` (default) or `DESC`.
 * Times have whole seconds, so groups of one second keep the order they were created in (reversed
 * for DESC). A value outside those is InvalidParameterValue.Range, a code the action documents.
 */
const fields = { CREATEDTIME: 'createdTime', UPDATETIME: 'updateTime' } as const;

function outOfRange(name: string, value: string, allowed: string): CloudApiError {
  return new CloudApiError(
    'InvalidParameterValue.Range',
    `The value \`${value}\` of \`${name}\` is not one of ${allowed}.`,
  );
}

export function orderSecurityGroups(
  groups: StoredGroup[],
  request: Pick<DescribeSecurityGroupsRequest, 'OrderField' | 'OrderDirection'>,
  creationOrder: StoredGroup[],
): StoredGroup[] {
  const directionText = (request.OrderDirection ?? '').trim().toUpperCase() || 'ASC';
  if (directionText !== 'ASC' && directionText !== 'DESC')
    throw outOfRange('OrderDirection', String(request.OrderDirection), 'ASC, DESC');
  const fieldText = (request.OrderField ?? '').trim();
  if (fieldText === '') return groups;
  const field = fields[fieldText.toUpperCase() as keyof typeof fields] as
    (typeof fields)[keyof typeof fields] | undefined;
  if (!field) throw outOfRange('OrderField', fieldText, 'CreatedTime, UpdateTime');
  const sign = directionText === 'ASC' ? 1 : -1;
  const born = new Map(creationOrder.map((g, i) => [g.id, i]));
  const rank = (g: StoredGroup) => born.get(g.id) ?? 0;
  return [...groups].sort(
    (a, b) => sign * (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : rank(a) - rank(b)),
  );
}
