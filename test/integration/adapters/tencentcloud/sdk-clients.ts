import http from 'node:http';
import type { ClientConfig } from 'tencentcloud-sdk-nodejs/tencentcloud/common/interface.js';
import { tke } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke/index.js';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/index.js';

/** The unmodified SDK pointed at an emulator URL, the way the adapter configures it. */
export function sdkClients(
  url: string,
  credential: { secretId: string; secretKey: string },
  region = 'ap-guangzhou',
) {
  const config: ClientConfig = {
    credential,
    region,
    profile: { httpProfile: { endpoint: new URL(url).host, protocol: 'http://', agent: new http.Agent() } },
  };
  return { vpc: new vpc.v20170312.Client(config), tke: new tke.v20180525.Client(config) };
}

/** The vendor code of an SDK rejection (TencentCloudSDKHttpException.code). */
export async function vendorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  throw new Error('expected the SDK call to fail');
}
