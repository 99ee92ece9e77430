/** The sandbox's emulated Tencent Cloud through the real SDK, as its sandbox.json describes it. */
import http from 'node:http';
import * as tc from 'tencentcloud-sdk-nodejs';
import type { SandboxInfo } from '../../src/sandbox/sandbox-file.ts';

export function sandboxVpcClient(info: SandboxInfo) {
  return new tc.vpc.v20170312.Client({
    credential: { secretId: info.tencentcloud.secretId, secretKey: info.tencentcloud.secretKey },
    region: info.tencentcloud.region,
    profile: {
      httpProfile: {
        endpoint: new URL(info.tencentcloud.endpoint).host,
        protocol: 'http://',
        agent: new http.Agent(),
      } as never,
    },
  });
}
