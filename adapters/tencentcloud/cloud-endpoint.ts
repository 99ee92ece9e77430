import http from 'node:http';
import https from 'node:https';
import type { HttpProfile } from 'tencentcloud-sdk-nodejs/tencentcloud/common/interface.js';
import { AppError } from '../../src/errors.ts';

export type CloudService = 'vpc' | 'tke' | 'sts';

/**
 * The SDK's httpProfile for one service: `<service>.tencentcloudapi.com` over https, or every
 * service at one base URL (the emulator, a private endpoint). An explicit agent is always given:
 * without one the SDK sends everything through $http_proxy, even loopback.
 */
export function httpProfileOf(
  endpoint: string | undefined,
  service: CloudService,
  timeoutMs: number,
): HttpProfile {
  const reqTimeout = Math.ceil(timeoutMs / 1000) + 1;
  if (endpoint === undefined) {
    return {
      endpoint: `${service}.tencentcloudapi.com`,
      protocol: 'https://',
      agent: new https.Agent({ keepAlive: true }),
      reqTimeout,
    };
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new AppError('CONFIG_INVALID', `Tencent Cloud endpoint ${endpoint} is not a URL`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('CONFIG_INVALID', `Tencent Cloud endpoint ${endpoint} must be http(s)`);
  }
  const agent =
    url.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
  return { endpoint: url.host, protocol: `${url.protocol}//`, agent, reqTimeout };
}
