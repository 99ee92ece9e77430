import { describe, expect, it } from 'vitest';
import { createClusterReadCache, shareClusterReads } from '../../../src/clusters/share-cluster-reads.ts';
import { AppError } from '../../../src/errors.ts';
import type { CloudNetwork } from '../../../src/ports/cloud-network.ts';

/** A cloud that records each call it gets and answers with a fresh RequestId, failing on request. */
function recordingCloud(): { cloud: CloudNetwork; calls: string[]; failNext: () => void } {
  const calls: string[] = [];
  let fail = false;
  const answer =
    (method: string) =>
    async (...args: unknown[]) => {
      calls.push(`${method} ${JSON.stringify(args)}`);
      await new Promise((r) => setTimeout(r, 5));
      if (fail) {
        fail = false;
        throw new AppError('CLOUD_INTERNAL', 'InternalError');
      }
      return { requestId: `req-${calls.length}`, clusters: [{ id: String(args[0]) }], addons: [], nodes: [] };
    };
  const cloud = new Proxy({} as CloudNetwork, { get: (_t, method: string) => answer(method) });
  return { cloud, calls, failNext: () => (fail = true) };
}

describe('sharing repeated cluster reads', () => {
  it('answers the same question from the first call until the TTL has passed, then asks again', async () => {
    let now = 1_000;
    const { cloud, calls } = recordingCloud();
    const shared = shareClusterReads(cloud, createClusterReadCache({ ttlMs: 3_000, now: () => now }));
    const first = await shared.describeClusters(['cls-a']);
    now += 2_999;
    const second = await shared.describeClusters(['cls-a']);
    expect(second).toEqual(first);
    expect(calls).toHaveLength(1);
    now += 1;
    expect((await shared.describeClusters(['cls-a'])).requestId).toBe('req-2');
    expect(calls).toHaveLength(2);
  });

  it('lets concurrent askers share one call in flight, and keeps different questions apart', async () => {
    const { cloud, calls } = recordingCloud();
    const shared = shareClusterReads(cloud, createClusterReadCache({ ttlMs: 3_000 }));
    const answers = await Promise.all([
      shared.describeAddon('cls-a', 'securitygrouppolicy'),
      shared.describeAddon('cls-a', 'securitygrouppolicy'),
      shared.describeAddon('cls-b', 'securitygrouppolicy'),
      shared.describeClusterVirtualNodes('cls-a'),
      shared.describeSecurityGroupLimits(),
      shared.describeSecurityGroupLimits(),
    ]);
    expect(calls).toHaveLength(4);
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).not.toBe(answers[1]);
  });

  it('never keeps a failure, and never shares reads of security groups or any write', async () => {
    const { cloud, calls, failNext } = recordingCloud();
    const shared = shareClusterReads(cloud, createClusterReadCache({ ttlMs: 3_000 }));
    failNext();
    await expect(shared.describeClusters(['cls-a'])).rejects.toMatchObject({ code: 'CLOUD_INTERNAL' });
    await shared.describeClusters(['cls-a']);
    await shared.describeSecurityGroups({ ids: ['sg-1'] });
    await shared.describeSecurityGroups({ ids: ['sg-1'] });
    await shared.describeSecurityGroupPolicies('sg-1');
    await shared.describeSecurityGroupPolicies('sg-1');
    expect(calls).toHaveLength(6);
  });
});
