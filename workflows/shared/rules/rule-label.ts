/** How sgops signs the rules it writes, and how it knows them again (a rollback, a revoke). */
import type { Rule } from '../../../src/ports/cloud-network.ts';

/** Every rule sgops writes is described `sgops <request-id>: …`: the cloud keeps who added it. */
export const ruleLabel = (requestId: string): string => `sgops ${requestId}`;

const sgopsDescription = /^sgops (R[0-9A-Z]+): /;

/**
 * Whether sgops wrote this rule — for request `requestId` when given, for any request otherwise.
 * A rule that was there before a request found it present and was never written by it, so it
 * keeps its own description and is never taken for sgops'.
 */
export function isSgopsRule(rule: Rule, requestId?: string): boolean {
  const match = sgopsDescription.exec(rule.description ?? '');
  return match !== null && (requestId === undefined || match[1] === requestId);
}
