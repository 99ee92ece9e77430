import { afterEach, describe, expect, it } from 'vitest';
import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type FaultConfig,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import type { CloudNetwork, Rule } from '../../../../src/ports/cloud-network.ts';
import { appErrorOf } from '../../../helpers/app-error-of.ts';

/**
 * The unmodified tencentcloud-sdk-nodejs, through createTencentCloudNetwork, against the emulator's
 * transport faults: what the adapter reports for each, and what the emulator's state says happened.
 */
const credential = { secretId: 'AKIDtransport', secretKey: 'transport-secret' };
const clientTimeoutMs = 300;
const newGroup = { name: 'sgops-lost', description: 'lost answers', tags: { 'sgops/app': 'lost' } };
const dnsRule: Rule = { protocol: 'UDP', port: '53', peer: { cidr: '10.0.0.0/8' }, action: 'ACCEPT' };

describe('the Tencent Cloud adapter under HTTP 5xx, timeouts and lost answers', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start(faults: Omit<FaultConfig, 'seed'>, timeoutMs = clientTimeoutMs) {
    emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed('cls-transport'),
      rateLimits: false,
    });
    const { url, adminUrl } = await emulator.start();
    const configured = await fetch(`${adminUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, ...faults }),
    });
    expect(configured.status).toBe(200);
    const network: CloudNetwork = createTencentCloudNetwork({
      ...credential,
      region: 'ap-guangzhou',
      endpoint: url,
      timeoutMs,
    });
    const clusterGroupId = emulator.state().securityGroups[0]!.id;
    return { network, clusterGroupId, emulator };
  }

  const groupsNamed = (name: string) => emulator!.state().securityGroups.filter((g) => g.name === name);

  it('reports a write the gateway answered with 5xx as of unknown outcome, and the emulator did not apply it', async () => {
    const { network } = await start({ next: [{ action: 'CreateSecurityGroup', kind: 'http5xx' }] });
    const error = await appErrorOf(network.createSecurityGroup(newGroup));
    expect(error).toMatchObject({ code: 'CLOUD_OUTCOME_UNKNOWN', retryable: true });
    expect(error.details).toMatchObject({ action: 'CreateSecurityGroup', transport: 'http' });
    expect([502, 503]).toContain(error.details.httpStatus);
    expect(error.details.requestId).toBeUndefined();
    expect(groupsNamed(newGroup.name)).toEqual([]);
  });

  it('reports a write whose answer was lost as of unknown outcome, though the emulator applied it', async () => {
    const { network } = await start({ next: [{ action: 'CreateSecurityGroup', kind: 'answerLost' }] });
    const error = await appErrorOf(network.createSecurityGroup(newGroup));
    expect(error).toMatchObject({ code: 'CLOUD_OUTCOME_UNKNOWN', details: { transport: 'network' } });
    // The group the lost answer would have named is there, findable by its tags.
    const found = await network.describeSecurityGroups({ name: newGroup.name, tags: newGroup.tags });
    expect(found.groups.map((g) => g.name)).toEqual([newGroup.name]);
    expect(groupsNamed(newGroup.name)).toHaveLength(1);
  });

  it("reports a write held past the client's deadline as of unknown outcome; the emulator applied it and let go when the client did", async () => {
    const { network, clusterGroupId } = await start({
      timeoutMs: 20_000,
      next: [{ action: 'CreateSecurityGroupPolicies', kind: 'timeout' }],
    });
    const before = (await network.describeSecurityGroupPolicies(clusterGroupId)).ruleSet;
    const started = performance.now();
    const error = await appErrorOf(
      network.createSecurityGroupPolicies({
        securityGroupId: clusterGroupId,
        direction: 'ingress',
        rules: [dnsRule],
        version: before.version,
      }),
    );
    const waitedMs = performance.now() - started;
    expect(error).toMatchObject({ code: 'CLOUD_OUTCOME_UNKNOWN', details: { transport: 'timeout' } });
    expect(waitedMs).toBeGreaterThanOrEqual(clientTimeoutMs - 20);
    expect(waitedMs).toBeLessThan(clientTimeoutMs + 1_500);
    const after = (await network.describeSecurityGroupPolicies(clusterGroupId)).ruleSet;
    expect(after.ingress).toHaveLength(before.ingress.length + 1);
    expect(Number(after.version)).toBe(Number(before.version) + 1);
  });

  it('reports reads that meet the same faults as retryable errors of their own kind', async () => {
    const { network, clusterGroupId } = await start({
      timeoutMs: 20_000,
      next: [
        { action: 'DescribeSecurityGroupPolicies', kind: 'http5xx' },
        { action: 'DescribeSecurityGroupPolicies', kind: 'timeout' },
        { action: 'DescribeSecurityGroupPolicies', kind: 'answerLost' },
      ],
    });
    const read = () => network.describeSecurityGroupPolicies(clusterGroupId);
    const gateway = await appErrorOf(read());
    expect(gateway).toMatchObject({ code: 'CLOUD_INTERNAL', retryable: true });
    expect([502, 503]).toContain(gateway.details.httpStatus);
    expect(await appErrorOf(read())).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(await appErrorOf(read())).toMatchObject({ code: 'NETWORK', retryable: true });
    expect((await read()).ruleSet.ingress.length).toBeGreaterThan(0);
  });

  it('slows only the actions given a latency of their own', async () => {
    const { network, clusterGroupId } = await start(
      { latencyMs: { '*': 0, DescribeSecurityGroupPolicies: 250 } },
      5_000,
    );
    const timed = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      await call();
      return performance.now() - started;
    };
    await network.describeSecurityGroups({ ids: [clusterGroupId] }); // the first call opens the connection
    expect(await timed(() => network.describeSecurityGroupPolicies(clusterGroupId))).toBeGreaterThanOrEqual(
      240,
    );
    expect(await timed(() => network.describeSecurityGroups({ ids: [clusterGroupId] }))).toBeLessThan(200);
  });

  it('lets a held call go when the emulator stops, so nothing waits for the hold to end', async () => {
    const { network, clusterGroupId } = await start(
      { timeoutMs: 60_000, next: [{ action: 'DescribeSecurityGroupPolicies', kind: 'timeout' }] },
      30_000,
    );
    const pending = appErrorOf(network.describeSecurityGroupPolicies(clusterGroupId));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await emulator!.stop();
    expect((await pending).code).toBe('NETWORK');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses a fault plan whose probabilities add up to more than 1', async () => {
    emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed('cls-transport'),
    });
    const { adminUrl } = await emulator.start();
    const refused = await fetch(`${adminUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, http5xx: { '*': 0.6 }, answerLost: { '*': 0.6 } }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/add up to/);
  });
});
