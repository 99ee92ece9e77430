import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { sdkClients } from './sdk-clients.ts';

const credential = { secretId: 'AKIDkeep', secretKey: 'keep-secret' };
const seed = { securityGroups: [{ id: 'sg-seeded01', name: 'seeded' }] };

describe('an emulator kept in a state directory', () => {
  const dirs: string[] = [];
  const running: TencentCloudEmulator[] = [];
  afterEach(async () => {
    for (const e of running.splice(0)) await e.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = async (stateDir: string) => {
    const emulator = createTencentCloudEmulator({ credentials: [credential], seed, stateDir });
    running.push(emulator);
    const { url } = await emulator.start();
    return { emulator, ...sdkClients(url, credential) };
  };
  const newDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgops-emulator-'));
    dirs.push(dir);
    return dir;
  };

  it('finds, after a restart, the groups, rules and versions that acknowledged calls made', async () => {
    const dir = newDir();
    const first = await open(dir);
    const { SecurityGroupId } = (
      await first.vpc.CreateSecurityGroup({ GroupName: 'kept', GroupDescription: 'survives' })
    ).SecurityGroup!;
    await first.vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: SecurityGroupId!,
      SecurityGroupPolicySet: {
        Egress: [{ Protocol: 'UDP', Port: '53', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
      },
    });
    const before = first.emulator.state();
    // Like kill -9: nothing is written on the way out, the process is simply gone.
    running.splice(0);
    await first.emulator.stop();

    const second = await open(dir);
    expect(second.emulator.restored).toBe(true);
    expect(second.emulator.state().securityGroups).toEqual(before.securityGroups);
    const rules = await second.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: SecurityGroupId! });
    expect(rules.SecurityGroupPolicySet?.Version).toBe('1');
    expect(rules.SecurityGroupPolicySet?.Egress?.[0]?.Port).toBe('53');
  });

  it('never hands out an id again after a restart, even one whose group was deleted', async () => {
    const dir = newDir();
    const first = await open(dir);
    const made = (await first.vpc.CreateSecurityGroup({ GroupName: 'gone', GroupDescription: '' }))
      .SecurityGroup!.SecurityGroupId!;
    await first.vpc.DeleteSecurityGroup({ SecurityGroupId: made });
    await first.emulator.stop();
    running.splice(0);

    const second = await open(dir);
    const next = (await second.vpc.CreateSecurityGroup({ GroupName: 'new', GroupDescription: '' }))
      .SecurityGroup!.SecurityGroupId!;
    expect(next).not.toBe(made);
  });

  it('keeps the call log across runs, counting from the last reset', async () => {
    const dir = newDir();
    const first = await open(dir);
    await first.vpc.DescribeSecurityGroups({});
    await first.vpc.CreateSecurityGroup({ GroupName: 'one', GroupDescription: '' });
    await first.emulator.stop();
    running.splice(0);

    const second = await open(dir);
    await second.vpc.DescribeSecurityGroups({});
    expect(second.emulator.calls()).toEqual({ DescribeSecurityGroups: 2, CreateSecurityGroup: 1 });
    expect(second.emulator.signedCalls().map((c) => c.action)).toEqual([
      'DescribeSecurityGroups',
      'CreateSecurityGroup',
      'DescribeSecurityGroups',
    ]);
    second.emulator.resetCalls();
    await second.emulator.stop();
    running.splice(0);
    // A line torn by a crash mid-write is a call that was never answered: it is not counted.
    appendFileSync(path.join(dir, 'cloud-calls.jsonl'), '{"action":"CreateSecu');

    const third = await open(dir);
    expect(third.emulator.calls()).toEqual({});
  });

  it('uses the seed only for a directory that holds no account yet', async () => {
    const dir = newDir();
    const first = await open(dir);
    expect(first.emulator.restored).toBe(false);
    await first.vpc.DeleteSecurityGroup({ SecurityGroupId: 'sg-seeded01' });
    await first.emulator.stop();
    running.splice(0);

    const second = await open(dir);
    expect(second.emulator.state().securityGroups.map((g) => g.id)).not.toContain('sg-seeded01');
  });
});
