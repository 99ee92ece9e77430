import { randomUUID } from 'node:crypto';
import { createRateLimitedCloudNetwork } from '../../../../adapters/tencentcloud/create-rate-limited-cloud-network.ts';
import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { describeCloudNetworkContract } from '../../../contracts/cloud-network.contract.ts';

async function emulatedWorld(rateLimited: boolean) {
  const emulator = createTencentCloudEmulator({
    credentials: [{ secretId: 'AKIDcontract', secretKey: 'contract-secret' }],
    seed: sandboxCloudSeed('cls-contract'),
  });
  const { url } = await emulator.start();
  const adapter = createTencentCloudNetwork({
    secretId: 'AKIDcontract',
    secretKey: 'contract-secret',
    region: 'ap-guangzhou',
    endpoint: url,
  });
  const limited = rateLimited
    ? createRateLimitedCloudNetwork(adapter, {
        redis: { host: '127.0.0.1', port: 6379 },
        keyPrefix: `test:contract:${randomUUID()}`,
      })
    : undefined;
  return {
    network: limited ?? adapter,
    clusterId: 'cls-contract',
    vpcId: 'vpc-sandbox1',
    addonName: 'securitygrouppolicy',
    dispose: async () => {
      await limited?.close();
      await emulator.stop();
    },
  };
}

describeCloudNetworkContract('Tencent Cloud adapter against the emulator', () => emulatedWorld(false));
describeCloudNetworkContract('Tencent Cloud adapter behind the shared rate limiter', () =>
  emulatedWorld(true),
);
