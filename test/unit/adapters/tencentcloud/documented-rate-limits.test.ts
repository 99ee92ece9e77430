import { describe, expect, it } from 'vitest';
import { documentedRateLimits } from '../../../../adapters/tencentcloud/documented-rate-limits.ts';
import { tkeActions } from '../../../../adapters/tencentcloud/emulator/tke-actions.ts';
import { vpcActions } from '../../../../adapters/tencentcloud/emulator/vpc-actions.ts';
import { sdkActionsOf } from '../../../../adapters/tencentcloud/sdk-actions-of.ts';
import { cloudActions, type CloudNetwork } from '../../../../src/ports/cloud-network.ts';

describe('documented rate limits', () => {
  it('are the limits the emulator enforces, action by action', () => {
    const emulated = Object.fromEntries(
      Object.entries({ ...vpcActions, ...tkeActions }).map(([action, handler]) => [
        action,
        handler.rateLimit,
      ]),
    );
    for (const [action, limit] of Object.entries(emulated)) {
      expect({ action, limit: documentedRateLimits[action] }).toEqual({ action, limit });
    }
  });

  it('cover every action a port method calls', () => {
    for (const method of Object.keys(cloudActions) as (keyof CloudNetwork)[]) {
      for (const action of sdkActionsOf(method)) expect(documentedRateLimits[action]).toBeGreaterThan(0);
    }
  });

  it('name exactly one action per port method', () => {
    expect(sdkActionsOf('describeSecurityGroupLimits')).toEqual(['DescribeSecurityGroupLimits']);
    expect(sdkActionsOf('describeClusterVirtualNodes')).toEqual(['DescribeClusterVirtualNode']);
  });
});
