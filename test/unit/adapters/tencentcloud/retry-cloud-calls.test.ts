import { describe, expect, it } from 'vitest';
import { retryCloudCalls } from '../../../../adapters/tencentcloud/retry-cloud-calls.ts';
import { AppError } from '../../../../src/errors.ts';
import type { CloudNetwork } from '../../../../src/ports/cloud-network.ts';

function flaky(failures: AppError[]): { cloud: CloudNetwork; calls: string[] } {
  const calls: string[] = [];
  const answer = (method: string) => async () => {
    calls.push(method);
    const failure = failures.shift();
    if (failure) throw failure;
    return { requestId: `req-${calls.length}`, clusters: [], groups: [], totalCount: 0 };
  };
  const cloud = new Proxy({} as CloudNetwork, { get: (_t, method: string) => answer(method) });
  return { cloud, calls };
}

const options = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4, sleep: async () => {} };
const throttled = () => new AppError('CLOUD_THROTTLED', 'RequestLimitExceeded');
const internal = () => new AppError('CLOUD_INTERNAL', 'InternalError');

describe('retrying single cloud calls', () => {
  it('retries a read through throttling and internal errors until it answers', async () => {
    const { cloud, calls } = flaky([throttled(), internal(), throttled()]);
    const result = await retryCloudCalls(cloud, options).describeClusters(['cls-a']);
    expect(result.requestId).toBe('req-4');
    expect(calls).toHaveLength(4);
  });

  it('gives up after the configured attempts with the last error', async () => {
    const { cloud, calls } = flaky([internal(), internal(), internal(), internal(), internal()]);
    await expect(retryCloudCalls(cloud, options).describeClusters(['cls-a'])).rejects.toMatchObject({
      code: 'CLOUD_INTERNAL',
    });
    expect(calls).toHaveLength(4);
  });

  it('retries a write only when the cloud refused it before acting', async () => {
    const refused = flaky([throttled()]);
    await retryCloudCalls(refused.cloud, options).createSecurityGroup({
      name: 'g',
      description: 'd',
      tags: {},
    });
    expect(refused.calls).toHaveLength(2);

    const maybeDone = flaky([internal()]);
    await expect(
      retryCloudCalls(maybeDone.cloud, options).createSecurityGroup({
        name: 'g',
        description: 'd',
        tags: {},
      }),
    ).rejects.toMatchObject({ code: 'CLOUD_INTERNAL' });
    expect(maybeDone.calls).toHaveLength(1);
  });

  it('leaves a write of unknown outcome to the step, and retries a read through a gateway error', async () => {
    const unknown = () => new AppError('CLOUD_OUTCOME_UNKNOWN', 'CreateSecurityGroupPolicies: HTTP 502');
    const lost = flaky([unknown()]);
    const write = { securityGroupId: 'sg-1', direction: 'ingress' as const, rules: [] };
    await expect(
      retryCloudCalls(lost.cloud, options).createSecurityGroupPolicies(write),
    ).rejects.toMatchObject({
      code: 'CLOUD_OUTCOME_UNKNOWN',
      retryable: true,
    });
    expect(lost.calls).toHaveLength(1);

    const gateway = () => new AppError('CLOUD_INTERNAL', 'HTTP 503', { details: { httpStatus: 503 } });
    const read = flaky([gateway(), new AppError('TIMEOUT', 'no answer'), new AppError('NETWORK', 'reset')]);
    expect((await retryCloudCalls(read.cloud, options).describeSecurityGroupPolicies('sg-1')).requestId).toBe(
      'req-4',
    );
  });

  it('never retries what cannot get better', async () => {
    const { cloud, calls } = flaky([new AppError('CLOUD_AUTH', 'AuthFailure.SignatureFailure')]);
    await expect(retryCloudCalls(cloud, options).describeClusters(['cls-a'])).rejects.toMatchObject({
      code: 'CLOUD_AUTH',
    });
    expect(calls).toHaveLength(1);
  });
});
