import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { cloudActions, type CloudNetwork } from '../../../../src/ports/cloud-network.ts';
import { appErrorOf } from '../../../helpers/app-error-of.ts';

const sts = { secretId: 'AKIDsts', secretKey: 'sts-secret', token: 'sts-token-1' };

describe('the Tencent Cloud adapter sends its credentials and region with every call', () => {
  let emulator: TencentCloudEmulator | undefined;
  let probe: Server | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
    await new Promise<void>((resolve) => (probe ? probe.close(() => resolve()) : resolve()));
    probe = undefined;
  });

  async function start() {
    emulator = createTencentCloudEmulator({ credentials: [sts], seed: sandboxCloudSeed('cls-sts') });
    return emulator.start();
  }

  it('is accepted with the STS token that belongs to the temporary key', async () => {
    const { url } = await start();
    const network = createTencentCloudNetwork({ ...sts, region: 'ap-guangzhou', endpoint: url });
    expect((await network.describeClusters(['cls-sts'])).clusters).toHaveLength(1);
  });

  it('is refused with AuthFailure.TokenFailure for a wrong or missing token, as a non-retryable CLOUD_AUTH', async () => {
    const { url } = await start();
    for (const token of ['stale-token', undefined]) {
      const network = createTencentCloudNetwork({
        secretId: sts.secretId,
        secretKey: sts.secretKey,
        ...(token ? { token } : {}),
        region: 'ap-guangzhou',
        endpoint: url,
      });
      const error = await appErrorOf(network.describeClusters(['cls-sts']));
      expect(error).toMatchObject({ code: 'CLOUD_AUTH', retryable: false });
      expect(error.details.vendorCode).toBe('AuthFailure.TokenFailure');
      expect(error.hint).toMatch(/STS/);
    }
  });

  it('sees only the groups of its own region', async () => {
    const { url } = await start();
    const elsewhere = createTencentCloudNetwork({ ...sts, region: 'ap-shanghai', endpoint: url });
    expect((await elsewhere.describeSecurityGroups({})).groups).toEqual([]);
    const home = createTencentCloudNetwork({ ...sts, region: 'ap-guangzhou', endpoint: url });
    expect((await home.describeSecurityGroups({})).totalCount).toBe(1);
  });

  it('refuses to be built without a region id or with an empty token', () => {
    for (const options of [{ region: '' }, { region: 'Guangzhou' }, { region: 'ap-guangzhou', token: '' }]) {
      expect(() => createTencentCloudNetwork({ secretId: 'a', secretKey: 'b', ...options })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
  });

  it('puts the region and the token on the request of every port method', async () => {
    const seen: IncomingHttpHeaders[] = [];
    probe = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Response: { RequestId: 'probe' } }));
      });
    });
    await new Promise<void>((resolve) => probe?.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    const network = createTencentCloudNetwork({
      ...sts,
      region: 'ap-singapore',
      endpoint: `http://127.0.0.1:${port}`,
    });
    const rule = {
      protocol: 'TCP' as const,
      port: '53',
      peer: { cidr: '10.0.0.0/8' },
      action: 'ACCEPT' as const,
    };
    const invocations: Record<keyof CloudNetwork, () => Promise<unknown>> = {
      describeClusters: () => network.describeClusters(['cls-a']),
      describeAddon: () => network.describeAddon('cls-a', 'securitygrouppolicy'),
      describeClusterVirtualNodes: () => network.describeClusterVirtualNodes('cls-a'),
      describeSecurityGroups: () => network.describeSecurityGroups({ name: 'x' }),
      createSecurityGroup: () => network.createSecurityGroup({ name: 'x', description: 'y', tags: {} }),
      deleteSecurityGroup: () => network.deleteSecurityGroup('sg-a'),
      describeSecurityGroupPolicies: () => network.describeSecurityGroupPolicies('sg-a'),
      createSecurityGroupPolicies: () =>
        network.createSecurityGroupPolicies({ securityGroupId: 'sg-a', direction: 'ingress', rules: [rule] }),
      deleteSecurityGroupPolicies: () =>
        network.deleteSecurityGroupPolicies({ securityGroupId: 'sg-a', direction: 'egress', rules: [rule] }),
      describeSecurityGroupReferences: () => network.describeSecurityGroupReferences(['sg-a']),
      describeSecurityGroupLimits: () => network.describeSecurityGroupLimits(),
    };
    for (const invoke of Object.values(invocations)) await invoke().catch(() => undefined);
    // Every port method reached the wire (the limits method twice), each with region and token.
    expect(new Set(seen.map((h) => h['x-tc-action']))).toEqual(new Set(Object.values(cloudActions)));
    for (const headers of seen) {
      expect(headers['x-tc-region']).toBe('ap-singapore');
      expect(headers['x-tc-token']).toBe(sts.token);
    }
  });
});
