import { describe, expect, it } from 'vitest';
import { v1Signature, v1StringToSign } from '../../../../../adapters/tencentcloud/emulator/v1-signature.ts';

describe('the v1 signature (HmacSHA1/HmacSHA256) as the API 3.0 documentation gives it', () => {
  // The documentation's own example (签名方法 v1): DescribeInstances on cvm, signed with HmacSHA1.
  const example = {
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
    method: 'GET',
    host: 'cvm.tencentcloudapi.com',
    params: Object.entries({
      Action: 'DescribeInstances',
      Version: '2017-03-12',
      Region: 'ap-guangzhou',
      Timestamp: '1465185768',
      Nonce: '11886',
      SecretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      'InstanceIds.0': 'ins-09dx96dg',
      Offset: '0',
      Limit: '20',
    }),
  };

  it('sorts the parameters by name into the documented string to sign', () => {
    expect(v1StringToSign(example)).toBe(
      'GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20' +
        '&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE' +
        '&Timestamp=1465185768&Version=2017-03-12',
    );
  });

  it('gives the documented HmacSHA1 signature, and another one for HmacSHA256', () => {
    expect(v1Signature(example)).toBe('EliP9YW3pW28FpsEdkXt/+WcGeI=');
    const sha256 = v1Signature({ ...example, signatureMethod: 'HmacSHA256' });
    expect(sha256).not.toBe('EliP9YW3pW28FpsEdkXt/+WcGeI=');
    expect(Buffer.from(sha256, 'base64')).toHaveLength(32);
  });
});
