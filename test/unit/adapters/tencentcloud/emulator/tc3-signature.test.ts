import { describe, expect, it } from 'vitest';
import {
  parseTc3Authorization,
  tc3AuthorizationHeader,
  tc3Host,
  tc3Signature,
} from '../../../../../adapters/tencentcloud/emulator/tc3-signature.ts';

// The reference's test vectors (tencentcloud-api.md): one body, two endpoints.
const body = '{"SecurityGroupIds":["sg-12345678"]}';
const base = {
  secretKey: 'SECRETEXAMPLE',
  timestamp: 1700000000,
  signedHeaders: ['content-type', 'host'],
  body,
};

describe('TC3-HMAC-SHA256', () => {
  it('signs the reference vector for http://127.0.0.1:9000/ with service 127 and the port left out', () => {
    const signature = tc3Signature({
      ...base,
      service: '127',
      headers: { 'Content-Type': 'application/json', Host: '127.0.0.1:9000' },
    });
    expect(signature).toBe('de10b46669a0d0797ec5f6c688857a1961ca0d81510d85712a9dd1379c03a497');
  });

  it('signs the reference vector for https://vpc.tencentcloudapi.com/ with service vpc', () => {
    const signature = tc3Signature({
      ...base,
      service: 'vpc',
      headers: { 'content-type': 'application/json', host: 'vpc.tencentcloudapi.com' },
    });
    expect(signature).toBe('723495a391040ddd95829074b6fc4d3d6e94ec7c8a88195990a2c3e40a12a026');
  });

  it('changes the signature when the body changes by one byte', () => {
    const headers = { 'content-type': 'application/json', host: '127.0.0.1' };
    const a = tc3Signature({ ...base, service: '127', headers });
    const b = tc3Signature({ ...base, service: '127', headers, body: body.replace('1', '2') });
    expect(a).not.toBe(b);
  });

  it('round-trips an Authorization header through the parser', () => {
    const header = tc3AuthorizationHeader({
      ...base,
      secretId: 'AKIDEXAMPLE',
      service: 'vpc',
      headers: { 'content-type': 'application/json', host: 'vpc.tencentcloudapi.com' },
    });
    expect(parseTc3Authorization(header)).toEqual({
      secretId: 'AKIDEXAMPLE',
      date: '2023-11-14',
      service: 'vpc',
      signedHeaders: ['content-type', 'host'],
      signature: '723495a391040ddd95829074b6fc4d3d6e94ec7c8a88195990a2c3e40a12a026',
    });
    expect(parseTc3Authorization('Basic abc')).toBeUndefined();
    expect(
      parseTc3Authorization('TC3-HMAC-SHA256 Credential=a/b/c/x, SignedHeaders=host, Signature=00'),
    ).toBeUndefined();
  });

  it('strips the port from the host but keeps IPv6 brackets', () => {
    expect(tc3Host('127.0.0.1:9000')).toBe('127.0.0.1');
    expect(tc3Host('[::1]:9000')).toBe('[::1]');
    expect(tc3Host('VPC.tencentcloudapi.com')).toBe('vpc.tencentcloudapi.com');
  });
});
