/**
 * The grant's own effect: when a time-bound grant runs out, its machine asks for `openRevoke`, and
 * this handler opens that revoke (src/requests/open-expiry-revoke.ts) on the events queue.
 */
import { openExpiryRevoke } from '../../src/requests/open-expiry-revoke.ts';
import type { EffectHandler } from '../../src/ports/workflow-definition.ts';
import type { Effect } from './effects.ts';

/** The `openRevoke` effect as its job carries it, with the grant that asked for the revoke. */
export type OpenRevokeJob = Extract<Effect, { type: 'openRevoke' }> & {
  /** The request that asked for the revoke (the expired grant). */
  requestId: string;
};

export const grantEffects: Record<string, EffectHandler> = {
  openRevoke: (effect, services) => openExpiryRevoke(services, effect as unknown as OpenRevokeJob),
};
