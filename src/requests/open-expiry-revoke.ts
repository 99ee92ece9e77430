/**
 * Carries out an expired grant's `openRevoke` effect: sgops opens, as itself, the revoke of the
 * grant's pod group and policy, under the id the grant derived, then tells the grant which revoke
 * ends it. Safe to run twice: the second open finds its revoke already there and only repeats the
 * (then ignored) message to the grant. When another live grant still gives the same access (the
 * requester asked again), nothing is revoked: the grant lapses, naming that grant.
 */
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.ts';
import type { OpenRevokeJob } from '../../workflows/grant/expiry-revoke-effect.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../store/store.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import type { RevokeInput } from '../../workflows/revoke/types.ts';
import { coveringGrant } from './covering-grant.ts';
import { otherLivePolicyNames } from './live-grants.ts';
import { openAuditedRequest } from './open-audited-request.ts';

/** The actor of what sgops decides itself, in the audit and in the grant's `revocation`. */
export const sgopsActor = 'sgops';

export async function openExpiryRevoke(
  deps: { engine: Engine; store: Store; clock: Clock; logger: Logger },
  job: OpenRevokeJob,
): Promise<void> {
  const { engine, store, logger } = deps;
  const grant = await engine.read(job.requestId);
  if (!grant) throw new AppError('REQUEST_NOT_FOUND', `There is no request ${job.requestId}.`);
  const { spec } = grant.context as GrantContext;
  const requestedAt = job.requestedAt || deps.clock.now().toISOString();
  const alreadyOpened = await store.getRequest(job.revokeRequestId);
  const coveredBy = alreadyOpened ? null : await coveringGrant(deps, spec);
  if (coveredBy) {
    await engine.deliver(job.requestId, { type: 'lapse', coveredBy, at: requestedAt });
    logger.info(
      { requestId: job.requestId, coveredBy },
      'expired grant lapsed: another grant gives the access',
    );
    return;
  }
  const input: RevokeInput = {
    spec: {
      requestId: job.revokeRequestId,
      requester: spec.requester,
      clusterId: spec.clusterId,
      namespace: spec.namespace,
      target: spec.target,
      podSelector: spec.podSelector,
      podGroupName: spec.podGroupName,
      policyName: spec.policyName,
      ...(spec.groups ? { groups: spec.groups } : {}),
      // With `using`, the groups it asked `allow … to` into, as a revoke from chat gives them.
      ...(spec.groups?.kind === 'existing' && spec.targetGroups?.length
        ? { targetGroupIds: [...new Set(spec.targetGroups.map((g) => g.securityGroupId))] }
        : {}),
      reason: job.reason,
      grantRequestId: job.requestId,
      otherPolicyNames: await otherLivePolicyNames(store, spec),
    },
    requestedAt,
  };
  try {
    await openAuditedRequest(
      engine,
      {
        id: job.revokeRequestId,
        workflow: 'revoke',
        // The grant's requester and thread: the revoke's messages reach whoever asked for the access.
        requester: grant.request.requester,
        clusterId: spec.clusterId,
        namespace: spec.namespace,
        spec: input.spec as unknown as Record<string, unknown>,
        origin: grant.request.origin,
      },
      input,
      {
        requestId: job.revokeRequestId,
        actor: sgopsActor,
        kind: 'decision',
        system: 'engine',
        action: 'revoke',
        target: job.requestId,
        outcome: 'accepted',
        durationMs: null,
        cloudRequestId: null,
        details: {
          reason: job.reason,
          grantRequestId: job.requestId,
          trigger: 'expiry',
          requestedAt,
          clusterId: spec.clusterId,
        },
        callId: null,
      },
    );
    logger.info(
      { requestId: job.requestId, revokeRequestId: job.revokeRequestId },
      'expired grant: revoke opened',
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'STATE_CONFLICT')) throw error;
    // Opened by an earlier run of this job; anything else under that id is a real conflict.
    const existing = await store.getRequest(job.revokeRequestId);
    const grantOf = (existing?.spec as { grantRequestId?: unknown } | undefined)?.grantRequestId;
    if (existing?.workflow !== 'revoke' || grantOf !== job.requestId) throw error;
  }
  await engine.deliver(job.requestId, {
    type: 'revoke',
    revokeRequestId: job.revokeRequestId,
    by: sgopsActor,
    at: requestedAt,
  });
}
