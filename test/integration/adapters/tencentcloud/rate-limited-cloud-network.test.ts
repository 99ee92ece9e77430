import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimitedCloudNetwork } from '../../../../adapters/tencentcloud/create-rate-limited-cloud-network.ts';
import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import type { RateLimitedCloudNetwork } from '../../../../adapters/tencentcloud/create-rate-limited-cloud-network.ts';

const credential = { secretId: 'AKIDlimits', secretKey: 'limits-secret' };
const redis = { host: '127.0.0.1', port: 6379 };

describe('the rate-limited CloudNetwork shared through Redis', () => {
  let emulator: TencentCloudEmulator | undefined;
  const limited: RateLimitedCloudNetwork[] = [];
  afterEach(async () => {
    await Promise.all(limited.splice(0).map((n) => n.close()));
    await emulator?.stop();
    emulator = undefined;
  });

  async function world(emulatorLimits: Record<string, number>) {
    emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed('cls-limits'),
      rateLimits: emulatorLimits,
    });
    const { url, adminUrl } = await emulator.start();
    const process = (keyPrefix: string, limits?: Record<string, number>) => {
      const network = createRateLimitedCloudNetwork(
        createTencentCloudNetwork({ ...credential, region: 'ap-guangzhou', endpoint: url }),
        { redis, keyPrefix, ...(limits ? { limits } : {}) },
      );
      limited.push(network);
      return network;
    };
    return { adminUrl, process };
  }

  it('keeps two processes together under an action limit of 10/s for 3 s, with no RequestLimitExceeded', async () => {
    const { adminUrl, process } = await world({ DescribeSecurityGroupPolicies: 10 });
    const keyPrefix = `test:tc-limits:${randomUUID()}`;
    const processes = [
      process(keyPrefix, { DescribeSecurityGroupPolicies: 10 }),
      process(keyPrefix, { DescribeSecurityGroupPolicies: 10 }),
    ];
    const groupId = emulator!.state().securityGroups[0]!.id;
    const deadline = Date.now() + 3000;
    const errors: unknown[] = [];
    let done = 0;
    // Eight eager callers per process: four times what the limit lets through.
    const workers = processes.flatMap((network) =>
      Array.from({ length: 8 }, async () => {
        while (Date.now() < deadline) {
          try {
            await network.describeSecurityGroupPolicies(groupId);
            done += 1;
          } catch (error) {
            errors.push(error);
          }
        }
      }),
    );
    await Promise.all(workers);

    expect(errors).toEqual([]);
    const perSecond = (await (await fetch(`${adminUrl}/calls/per-second`)).json()) as Record<
      string,
      Record<string, number>
    >;
    const counts = Object.values(perSecond.DescribeSecurityGroupPolicies ?? {});
    expect(Math.max(...counts)).toBeLessThanOrEqual(10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(done);
    // The limiter lets the budget be used, not just stayed under: about 10/s for 3-4 s.
    expect(done).toBeGreaterThanOrEqual(25);
  });

  it('waits out the documented limits by default and still returns the inner results', async () => {
    const { process } = await world({});
    const network = process(`test:tc-limits:${randomUUID()}`);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => network.describeClusters(['cls-limits'])),
    );
    expect(results.every((r) => r.clusters[0]?.id === 'cls-limits' && r.requestId !== '')).toBe(true);
    const limits = await network.describeSecurityGroupLimits();
    expect(limits.limits).toEqual({ groupLimit: 50, rulesPerGroupLimit: 100 });
  });
});
