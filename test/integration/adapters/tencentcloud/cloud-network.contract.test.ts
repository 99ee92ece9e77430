import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { describeCloudNetworkContract } from '../../../contracts/cloud-network.contract.ts';

describeCloudNetworkContract('Tencent Cloud adapter against the emulator', async () => {
  const emulator = createTencentCloudEmulator({
    credentials: [{ secretId: 'AKIDcontract', secretKey: 'contract-secret' }],
    seed: sandboxCloudSeed('cls-contract'),
  });
  const { url } = await emulator.start();
  return {
    network: createTencentCloudNetwork({
      secretId: 'AKIDcontract',
      secretKey: 'contract-secret',
      region: 'ap-guangzhou',
      endpoint: url,
    }),
    clusterId: 'cls-contract',
    vpcId: 'vpc-sandbox1',
    addonName: 'securitygrouppolicy',
    dispose: () => emulator.stop(),
  };
});
