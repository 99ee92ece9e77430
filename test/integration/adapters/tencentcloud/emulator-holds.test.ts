import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { adminRequest } from '../../../helpers/admin-request.ts';
import { sdkClients } from './sdk-clients.ts';

const credential = { secretId: 'AKIDholds', secretKey: 'holds-secret' };

/** Crash tests hold a call at the emulator before or after it applies, then kill the caller. */
describe('the Tencent Cloud emulator holding calls', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    emulator?.holds.clear();
    await emulator?.stop();
    emulator = undefined;
  });

  async function start() {
    emulator = createTencentCloudEmulator({ credentials: [credential], seed: sandboxCloudSeed() });
    const urls = await emulator.start();
    return { ...urls, ...sdkClients(urls.url, credential) };
  }

  const groupNames = () => emulator!.state().securityGroups.map((g) => g.name);
  const create = (vpc: Awaited<ReturnType<typeof start>>['vpc'], name: string) =>
    vpc.CreateSecurityGroup({ GroupName: name, GroupDescription: 'held' });

  it('holds a call before it applies, and a dropped call never applies and cuts the connection', async () => {
    const { adminUrl, vpc } = await start();
    const { body: hold } = await adminRequest(`${adminUrl}/holds`, 'POST', {
      action: 'CreateSecurityGroup',
      when: 'before',
    });
    expect(hold).toMatchObject({ id: 'hold-1', state: 'armed' });
    const call = create(vpc, 'sg-before').then(
      () => 'answered',
      () => 'cut',
    );
    const held = await adminRequest(`${adminUrl}/holds/${String(hold['id'])}?waitMs=5000`);
    expect(held.body).toMatchObject({ state: 'held', action: 'CreateSecurityGroup', when: 'before' });
    expect(groupNames()).not.toContain('sg-before');

    expect(
      (await adminRequest(`${adminUrl}/holds/${String(hold['id'])}/release`, 'POST', { drop: true })).body,
    ).toMatchObject({ state: 'dropped' });
    expect(await call).toBe('cut');
    expect(groupNames()).not.toContain('sg-before');
    // The hold caught one call only: the next one goes through.
    await create(vpc, 'sg-next');
    expect(groupNames()).toContain('sg-next');
  });

  it('holds a call after it applied, and answers it on release', async () => {
    const { adminUrl, vpc } = await start();
    const { body: hold } = await adminRequest(`${adminUrl}/holds`, 'POST', {
      action: 'CreateSecurityGroup',
      when: 'after',
    });
    const call = create(vpc, 'sg-after');
    expect((await adminRequest(`${adminUrl}/holds/${String(hold['id'])}?waitMs=5000`)).body).toMatchObject({
      state: 'held',
    });
    expect(groupNames()).toContain('sg-after');
    await adminRequest(`${adminUrl}/holds/${String(hold['id'])}/release`, 'POST', {});
    await expect(call).resolves.toMatchObject({ SecurityGroup: { SecurityGroupName: 'sg-after' } });
  });

  it('cuts the answer of a call dropped after it applied, which stays applied', async () => {
    const { vpc } = await start();
    const hold = emulator!.holds.arm({ action: 'CreateSecurityGroup', when: 'after' });
    const call = create(vpc, 'sg-applied').then(
      () => 'answered',
      () => 'cut',
    );
    expect((await emulator!.holds.waitUntilHeld(hold.id, 5000)).state).toBe('held');
    emulator!.holds.release(hold.id, 'drop');
    expect(await call).toBe('cut');
    expect(groupNames()).toContain('sg-applied');
  });

  it('holds only calls whose body contains the given text, and after only calls that succeeded', async () => {
    const { vpc } = await start();
    const named = emulator!.holds.arm({ action: 'CreateSecurityGroup', when: 'before', contains: 'sg-two' });
    const failed = emulator!.holds.arm({ action: 'DeleteSecurityGroup', when: 'after' });
    await create(vpc, 'sg-one');
    await expect(vpc.DeleteSecurityGroup({ SecurityGroupId: 'sg-nothere' })).rejects.toThrow();
    expect(emulator!.holds.list().map((h) => h.state)).toEqual(['armed', 'armed']);

    const two = create(vpc, 'sg-two');
    expect((await emulator!.holds.waitUntilHeld(named.id, 5000)).state).toBe('held');
    emulator!.holds.release(named.id, 'go');
    await expect(two).resolves.toMatchObject({ SecurityGroup: { SecurityGroupName: 'sg-two' } });
    expect((await emulator!.holds.waitUntilHeld(failed.id, 10)).state).toBe('armed');
  });

  it('refuses a malformed hold and the release of a hold that holds nothing', async () => {
    const { adminUrl } = await start();
    expect((await adminRequest(`${adminUrl}/holds`, 'POST', { action: 'CreateSecurityGroup' })).status).toBe(
      400,
    );
    const { body: hold } = await adminRequest(`${adminUrl}/holds`, 'POST', {
      action: 'CreateSecurityGroup',
      when: 'after',
    });
    expect((await adminRequest(`${adminUrl}/holds/${String(hold['id'])}/release`, 'POST', {})).status).toBe(
      400,
    );
    expect((await adminRequest(`${adminUrl}/holds/hold-99?waitMs=10`)).status).toBe(400);
    expect((await adminRequest(`${adminUrl}/holds`)).body).toEqual([
      { id: hold['id'], action: 'CreateSecurityGroup', when: 'after', state: 'armed' },
    ]);
    await adminRequest(`${adminUrl}/holds`, 'DELETE');
    expect((await adminRequest(`${adminUrl}/holds`)).body).toEqual([]);
  });
});
