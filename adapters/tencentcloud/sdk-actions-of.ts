import { cloudActions, type CloudNetwork } from '../../src/ports/cloud-network.ts';

/** The Tencent Cloud actions one port method calls (one each: the port's rule), for the rate limiter. */
export function sdkActionsOf(method: keyof CloudNetwork): string[] {
  return [cloudActions[method]];
}
