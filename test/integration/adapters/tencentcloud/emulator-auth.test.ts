import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const credential = { secretId: 'AKIDauth', secretKey: 'auth-secret' };

type ApiAnswer = {
  Response: { Error?: { Code: string }; TotalCount?: number; SecurityGroupSet?: unknown[] };
};

/**
 * A request signed the way the Python and Go SDKs (and so tccli) sign it: TC3-HMAC-SHA256 as
 * Tencent Cloud's API 3.0 documentation spells it out, with the `host` header's value as sent,
 * port included. Written here from the documentation, not from the emulator's own signer. A POST
 * carries JSON; a GET carries its parameters in the query string, which the canonical request
 * holds as sent, with content type application/x-www-form-urlencoded and the hash of an empty body.
 */
async function sendSigned(
  url: string,
  action: string,
  secretKey: string,
  request: { method: 'POST'; payload: object } | { method: 'GET'; query: string; sentQuery?: string },
  host = new URL(url).host, // 127.0.0.1:<port>
): Promise<ApiAnswer> {
  const get = request.method === 'GET';
  const body = get ? '' : JSON.stringify(request.payload);
  const query = get ? request.query : '';
  const contentType = get ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8';
  const timestamp = Math.floor(Date.now() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const canonicalRequest = [
    request.method,
    '/',
    query,
    `content-type:${contentType}\nhost:${host}\n`,
    'content-type;host',
    sha256(body),
  ].join('\n');
  const scope = `${date}/vpc/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonicalRequest)}`;
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), 'vpc'), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  const sentQuery = get ? (request.sentQuery ?? query) : '';
  // node:http, not fetch: fetch sends the URL's host whatever Host it is given, and tccli's is not that.
  const res = await sendRaw(get ? `${url}/?${sentQuery}` : `${url}/`, {
    method: request.method,
    headers: {
      authorization: `TC3-HMAC-SHA256 Credential=${credential.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
      'content-type': contentType,
      host,
      'x-tc-action': action,
      'x-tc-version': '2017-03-12',
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': 'ap-guangzhou',
    },
    body,
  });
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as ApiAnswer;
}

function sendRaw(
  url: string,
  request: { method: string; headers: Record<string, string>; body: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: request.method, headers: request.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * A request signed with the documented v1 method ("签名方法 v1"), which GET and form POST requests
 * may use: the common parameters travel with the others; the string to sign is method + host +
 * `/?` + all parameters but Signature, sorted, as plain `name=value` joined by `&`; the signature
 * is the base64 HMAC (SHA1 unless SignatureMethod is HmacSHA256) under the SecretKey.
 */
async function sendV1Signed(
  url: string,
  method: 'GET' | 'POST',
  actionParams: Record<string, string>,
  options: { secretKey: string; signatureMethod?: 'HmacSHA1' | 'HmacSHA256' },
): Promise<ApiAnswer> {
  const host = new URL(url).host;
  const params: Record<string, string> = {
    Action: 'DescribeSecurityGroups',
    Version: '2017-03-12',
    Region: 'ap-guangzhou',
    Timestamp: String(Math.floor(Date.now() / 1000)),
    Nonce: String(Math.floor(Math.random() * 1e9)),
    SecretId: credential.secretId,
    ...(options.signatureMethod ? { SignatureMethod: options.signatureMethod } : {}),
    ...actionParams,
  };
  const sorted = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const hash = options.signatureMethod === 'HmacSHA256' ? 'sha256' : 'sha1';
  params.Signature = createHmac(hash, options.secretKey)
    .update(`${method}${host}/?${sorted}`)
    .digest('base64');
  const encoded = new URLSearchParams(params).toString();
  const res = await fetch(method === 'GET' ? `${url}/?${encoded}` : `${url}/`, {
    method,
    ...(method === 'POST'
      ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: encoded }
      : {}),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ApiAnswer;
}

async function postSignedWithPort(url: string, action: string, payload: object, secretKey: string) {
  return sendSigned(url, action, secretKey, { method: 'POST', payload });
}

describe('the Tencent Cloud emulator checks TC3-HMAC-SHA256 like the real gateway', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start(now?: () => Date) {
    emulator = createTencentCloudEmulator({ credentials: [credential], now });
    return (await emulator.start()).url;
  }

  it('accepts a request the unmodified SDK signed with the right key', async () => {
    const { vpc } = sdkClients(await start(), credential);
    const result = await vpc.DescribeSecurityGroups({});
    expect(result).toMatchObject({ SecurityGroupSet: [], TotalCount: 0 });
    expect(result.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a request signed with the Host as sent, port included, as the Python and Go SDKs sign it', async () => {
    const url = await start();
    const answer = await postSignedWithPort(url, 'DescribeSecurityGroups', {}, credential.secretKey);
    expect(answer.Response.Error).toBeUndefined();
    expect(answer.Response.TotalCount).toBe(0);
    // The same request signed with another key is still refused: the port is no way round the check.
    const forged = await postSignedWithPort(url, 'DescribeSecurityGroups', {}, 'not-the-key');
    expect(forged.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });

  it('accepts what tccli sends for `--endpoint http://127.0.0.1:<port>`: the endpoint, scheme and all, as Host and signed', async () => {
    // tccli hands --endpoint to the Python SDK, which keeps an endpoint that has a scheme as it is
    // and sends (and signs) it as the Host header: the sandbox's tccli lines rely on this.
    const url = await start();
    const answer = await sendSigned(
      url,
      'DescribeSecurityGroups',
      credential.secretKey,
      { method: 'POST', payload: {} },
      url,
    );
    expect(answer.Response.Error).toBeUndefined();
    expect(answer.Response.TotalCount).toBe(0);
  });

  it('answers a GET with its parameters flattened in the query string as it answers the same POST', async () => {
    const url = await start();
    const { vpc } = sdkClients(url, credential);
    const web = await vpc.CreateSecurityGroup({ GroupName: 'web', GroupDescription: 'd' });
    await vpc.CreateSecurityGroup({ GroupName: 'db', GroupDescription: 'd' });
    const webId = web.SecurityGroup?.SecurityGroupId ?? '';
    const payload = { Filters: [{ Name: 'security-group-name', Values: ['web', 'db'] }], Limit: '1' };
    const query = 'Filters.0.Name=security-group-name&Filters.0.Values.0=web&Filters.0.Values.1=db&Limit=1';
    const byPost = await sendSigned(url, 'DescribeSecurityGroups', credential.secretKey, {
      method: 'POST',
      payload,
    });
    const byGet = await sendSigned(url, 'DescribeSecurityGroups', credential.secretKey, {
      method: 'GET',
      query,
    });
    expect(byGet.Response.Error).toBeUndefined();
    expect(byGet.Response.TotalCount).toBe(2);
    expect(byGet.Response.SecurityGroupSet).toHaveLength(1);
    expect(byGet.Response.SecurityGroupSet).toEqual(byPost.Response.SecurityGroupSet);
    const byIds = await sendSigned(url, 'DescribeSecurityGroups', credential.secretKey, {
      method: 'GET',
      query: `SecurityGroupIds.0=${webId}`,
    });
    expect(byIds.Response.SecurityGroupSet).toEqual([expect.objectContaining({ SecurityGroupId: webId })]);
  });

  it('refuses a GET signed with the wrong key, or whose query was changed after signing', async () => {
    const url = await start();
    const forged = await sendSigned(url, 'DescribeSecurityGroups', 'not-the-key', {
      method: 'GET',
      query: 'Limit=1',
    });
    expect(forged.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
    const changed = await sendSigned(url, 'DescribeSecurityGroups', credential.secretKey, {
      method: 'GET',
      query: 'Limit=1',
      sentQuery: 'Limit=100',
    });
    expect(changed.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });

  it('answers a GET or form POST signed with the v1 method, HmacSHA256 or HmacSHA1, and refuses a wrong key', async () => {
    const url = await start();
    const { vpc } = sdkClients(url, credential);
    await vpc.CreateSecurityGroup({ GroupName: 'web', GroupDescription: 'd' });
    await vpc.CreateSecurityGroup({ GroupName: 'db', GroupDescription: 'd' });
    const filter = { 'Filters.0.Name': 'security-group-name', 'Filters.0.Values.0': 'web' };
    const viaSdk = await vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['web'] }],
    });
    const { secretKey } = credential;
    for (const [method, signatureMethod] of [
      ['GET', 'HmacSHA256'],
      ['GET', undefined],
      ['POST', 'HmacSHA1'],
    ] as const) {
      const answer = await sendV1Signed(url, method, filter, { secretKey, signatureMethod });
      expect(answer.Response.Error).toBeUndefined();
      expect(answer.Response.SecurityGroupSet).toEqual(viaSdk.SecurityGroupSet);
    }
    const forged = await sendV1Signed(url, 'GET', filter, {
      secretKey: 'not-the-key',
      signatureMethod: 'HmacSHA256',
    });
    expect(forged.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });

  it('refuses a request signed with the wrong key as AuthFailure.SignatureFailure', async () => {
    const { vpc } = sdkClients(await start(), { ...credential, secretKey: 'not-the-key' });
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('AuthFailure.SignatureFailure');
  });

  it('refuses an unknown SecretId as AuthFailure.SecretIdNotFound', async () => {
    const { vpc } = sdkClients(await start(), { ...credential, secretId: 'AKIDnobody' });
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('AuthFailure.SecretIdNotFound');
  });

  it('refuses a request whose timestamp is six minutes old as AuthFailure.SignatureExpire', async () => {
    // The SDK stamps real time; an emulator clock six minutes ahead makes that stamp six minutes old.
    const { vpc } = sdkClients(await start(() => new Date(Date.now() + 6 * 60_000)), credential);
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('AuthFailure.SignatureExpire');
  });

  it('accepts a timestamp four minutes off', async () => {
    const { vpc } = sdkClients(await start(() => new Date(Date.now() - 4 * 60_000)), credential);
    await expect(vpc.DescribeSecurityGroups({})).resolves.toMatchObject({ TotalCount: 0 });
  });

  it('answers an unknown action with InvalidAction', async () => {
    const { vpc } = sdkClients(await start(), credential);
    expect(await vendorCode(vpc.request('DescribeSecurityGroupsPlease', {}))).toBe('InvalidAction');
  });

  it('answers a field the API does not have with UnknownParameter, also when nested', async () => {
    const { vpc } = sdkClients(await start(), credential);
    expect(await vendorCode(vpc.request('DescribeSecurityGroups', { GroupName: 'x' }))).toBe(
      'UnknownParameter',
    );
    const created = await vpc.CreateSecurityGroup({ GroupName: 'g', GroupDescription: 'd' });
    const nested = vpc.request('CreateSecurityGroupPolicies', {
      SecurityGroupId: created.SecurityGroup?.SecurityGroupId,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'TCP', Port: '53', Action: 'ACCEPT', Source: '10.0.0.0/8' }],
      },
    });
    expect(await vendorCode(nested)).toBe('UnknownParameter');
  });

  it('answers every error with HTTP 200 and a Response.Error document', async () => {
    const url = await start();
    const res = await fetch(`${url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tc-action': 'DescribeSecurityGroups',
        'x-tc-version': '2017-03-12',
      },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      Response: { Error: { Code: string; Message: string }; RequestId: string };
    };
    expect(body.Response.Error.Code).toBe('AuthFailure.InvalidAuthorization');
    expect(body.Response.RequestId).toEqual(expect.any(String));
  });
});
