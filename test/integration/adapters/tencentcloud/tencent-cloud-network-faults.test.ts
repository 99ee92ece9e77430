import { afterEach, describe, expect, it } from 'vitest';
import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { AppError } from '../../../../src/errors.ts';
import type { CloudNetwork } from '../../../../src/ports/cloud-network.ts';

const credential = { secretId: 'AKIDfaults', secretKey: 'faults-secret' };
const vendorToCode: Record<string, string> = {
  RequestLimitExceeded: 'CLOUD_THROTTLED',
  InternalError: 'CLOUD_INTERNAL',
};

interface Outcome {
  call: number;
  action: string;
  code?: string;
  vendorCode?: unknown;
}

describe('the Tencent Cloud adapter under seeded faults (30 % RequestLimitExceeded or InternalError)', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start(): Promise<{ network: CloudNetwork; groupId: string }> {
    // The emulator's own throttling is off: only the injected faults may fail a call.
    emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed('cls-faults'),
      rateLimits: false,
    });
    const { url } = await emulator.start();
    const network = createTencentCloudNetwork({ ...credential, region: 'ap-guangzhou', endpoint: url });
    return { network, groupId: emulator.state().securityGroups[0]?.id ?? '' };
  }

  /** 80 sequential calls over every read action of the port; returns what each one did. */
  async function run(network: CloudNetwork, groupId: string, seed: number): Promise<Outcome[]> {
    emulator?.faults.configure({ seed, rate: { '*': 0.3 } });
    const calls: [string, () => Promise<unknown>][] = [
      ['DescribeClusters', () => network.describeClusters(['cls-faults'])],
      ['DescribeAddon', () => network.describeAddon('cls-faults', 'securitygrouppolicy')],
      ['DescribeClusterVirtualNode', () => network.describeClusterVirtualNodes('cls-faults')],
      ['DescribeSecurityGroups', () => network.describeSecurityGroups({ ids: [groupId] })],
      ['DescribeSecurityGroupPolicies', () => network.describeSecurityGroupPolicies(groupId)],
      ['DescribeSecurityGroupReferences', () => network.describeSecurityGroupReferences([groupId])],
      ['DescribeSecurityGroupLimits', () => network.describeSecurityGroupLimits()],
    ];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 80; i += 1) {
      const [action, invoke] = calls[i % calls.length]!;
      try {
        const result = (await invoke()) as { requestId: string };
        expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
        outcomes.push({ call: i, action });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const vendorCode = error.details.vendorCode;
        expect(error.retryable).toBe(true);
        expect(error.code).toBe(vendorToCode[String(vendorCode)]);
        expect(error.details.requestId).toMatch(/^[0-9a-f-]{36}$/);
        // The limits call reads DescribeSecurityGroups too; its failure names that action.
        expect([action, 'DescribeSecurityGroups']).toContain(error.details.action);
        outcomes.push({ call: i, action, code: error.code, vendorCode });
      }
    }
    return outcomes;
  }

  it('maps every injected failure to a retryable AppError carrying the vendor code and RequestId', async () => {
    const { network, groupId } = await start();
    const outcomes = await run(network, groupId, 42);
    const failed = outcomes.filter((o) => o.code !== undefined);
    // About 30 % of the calls (the limits method makes two API calls, so a bit more there).
    expect(failed.length).toBeGreaterThan(10);
    expect(failed.length).toBeLessThan(45);
    expect(new Set(failed.map((o) => o.vendorCode))).toEqual(
      new Set(['RequestLimitExceeded', 'InternalError']),
    );
  });

  it('fails the same calls with the same codes when run again with the same seed', async () => {
    const first = await start();
    const once = await run(first.network, first.groupId, 7);
    await emulator?.stop();
    const second = await start();
    const again = await run(second.network, second.groupId, 7);
    expect(again).toEqual(once);
    const other = await run(second.network, second.groupId, 8);
    expect(other).not.toEqual(once);
  });
});
