import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { appErrorOf } from '../../../helpers/app-error-of.ts';

const credential = { secretId: 'AKIDerrors', secretKey: 'errors-secret' };

describe('the Tencent Cloud adapter maps what goes wrong to sgops error codes', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start() {
    emulator = createTencentCloudEmulator({ credentials: [credential], seed: sandboxCloudSeed() });
    return emulator.start();
  }

  it('turns throttling and internal errors into retryable errors that keep the vendor code and RequestId', async () => {
    const { url } = await start();
    emulator?.faults.configure({
      seed: 1,
      next: [
        { action: 'CreateSecurityGroup', code: 'RequestLimitExceeded', count: 1 },
        { action: 'CreateSecurityGroup', code: 'InternalError', count: 1 },
      ],
    });
    const network = createTencentCloudNetwork({ ...credential, region: 'ap-guangzhou', endpoint: url });
    const input = { name: 'x', description: 'y', tags: {} };
    const throttled = await appErrorOf(network.createSecurityGroup(input));
    expect(throttled).toMatchObject({ code: 'CLOUD_THROTTLED', retryable: true });
    expect(throttled.details).toMatchObject({
      vendorCode: 'RequestLimitExceeded',
      action: 'CreateSecurityGroup',
    });
    expect(throttled.details.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await appErrorOf(network.createSecurityGroup(input))).toMatchObject({
      code: 'CLOUD_INTERNAL',
      retryable: true,
    });
    // No retries inside the adapter: each port call was exactly one API call.
    expect(emulator?.calls()).toEqual({ CreateSecurityGroup: 2 });
  });

  it('turns a wrong key into CLOUD_AUTH with a hint naming what to check', async () => {
    const { url } = await start();
    const network = createTencentCloudNetwork({
      ...credential,
      secretKey: 'wrong',
      region: 'ap-guangzhou',
      endpoint: url,
    });
    const error = await appErrorOf(network.describeClusters(['cls-sandbox1']));
    expect(error).toMatchObject({ code: 'CLOUD_AUTH', retryable: false });
    expect(error.hint).toMatch(/SecretKey/);
  });

  it('reports an endpoint that refuses connections as a retryable NETWORK error', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const network = createTencentCloudNetwork({
      ...credential,
      region: 'ap-guangzhou',
      endpoint: `http://127.0.0.1:${port}`,
    });
    expect(await appErrorOf(network.describeSecurityGroups({ ids: ['sg-sandbox1'] }))).toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
  });

  it('reports a call slower than the timeout as a retryable TIMEOUT', async () => {
    const { url } = await start();
    emulator?.faults.configure({ seed: 1, latencyMs: 1_000 });
    const network = createTencentCloudNetwork({
      ...credential,
      region: 'ap-guangzhou',
      endpoint: url,
      timeoutMs: 200,
    });
    expect(await appErrorOf(network.describeSecurityGroups({ ids: ['sg-sandbox1'] }))).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
  });

  it('absorbs a missing add-on into an empty list but not a missing cluster', async () => {
    const { url } = await start();
    const network = createTencentCloudNetwork({ ...credential, region: 'ap-guangzhou', endpoint: url });
    expect((await network.describeAddon('cls-sandbox1', 'nothing')).addons).toEqual([]);
    expect(await appErrorOf(network.describeAddon('cls-nothere', 'securitygrouppolicy'))).toMatchObject({
      code: 'CLOUD_NOT_FOUND',
    });
  });
});
