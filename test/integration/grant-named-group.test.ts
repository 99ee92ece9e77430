import type { GrantContext } from '../../workflows/grant/types.ts';
import { errorIn } from '../../src/chat/error-in.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { grantApproved, revoked } from '../helpers/chat-requests.ts';
import { worldReaders } from '../helpers/world-readers.ts';
import { expectSharedGroupKept } from '../helpers/expect-shared-group-kept.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import type { RevokeContext } from '../../workflows/revoke/types.ts';

const ns = 'my-namespace';

/**
 * `as group shared` for two apps: the first grant makes the group `shared`, the second reuses it.
 * Revoking one app takes its policy and its pods' group away, but keeps the group, its DNS rules
 * and the other app's policy; revoking the second app then removes the group.
 */
describe('two apps sharing one pod group by name', () => {
  let world: TestWorld;
  let groupId = '';

  const { pods, groupsNamed, dnsFrom, policy, runApps } = worldReaders(() => world);

  beforeAll(async () => {
    world = await startTestWorld('grant-named-group');
    await runApps(['shop-a', 'shop-b']);
    await world.vpc.CreateSecurityGroup({ GroupName: 'team-db', GroupDescription: 'not sgops' });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('refuses a name a group outside sgops already has, and a name sgops keeps for itself', async () => {
    const taken = await grantApproved(world, `grant pod SG to app shop-a in ${ns} as group team-db`);
    expect(taken.end.state).toBe('failed');
    expect(taken.end.text).toContain('A security group named team-db already exists');
    // A 中文 reader is told the same in 中文 alone.
    const failed = (await world.app.engine.read(taken.end.requestId!))!.context as GrantContext;
    expect(errorIn(failed.error!, 'zh').message).toContain('已存在名为 team-db 的安全组');
    const reserved = await grantApproved(world, `grant pod SG to app shop-a in ${ns} as group sgops-mine`);
    expect(reserved.end.state).toBe('failed');
    expect(reserved.end.text).toContain('starts with "sgops-"');
    expect(await groupsNamed('team-db')).toHaveLength(1);
    expect(await groupsNamed('sgops-mine')).toEqual([]);
  });

  it('makes the group for the first app and reuses it for the second', async () => {
    const first = await grantApproved(world, `grant pod SG to app shop-a in ${ns} as group shared`);
    expect(first.plan.text).toContain(
      'tccli vpc CreateSecurityGroup --region ap-guangzhou --GroupName shared',
    );
    expect(first.end.state).toBe('done');
    const [group] = await groupsNamed('shared');
    groupId = group!.SecurityGroupId!;
    expect(group!.TagSet).toContainEqual({ Key: 'sgops/group', Value: 'shared' });

    const second = await grantApproved(world, `授权 Pod 安全组 给 应用 shop-b 在 ${ns} 作为 组 shared`);
    expect(second.plan.text).toContain(`复用已有 Pod 安全组 ${groupId}`);
    expect(second.plan.text).not.toContain('tccli vpc CreateSecurityGroup --');
    expect(second.end.state).toBe('done');
    expect(await groupsNamed('shared')).toHaveLength(1);
    for (const app of ['shop-a', 'shop-b']) {
      expect((await policy(`sgops-${app}`))!.spec.securityGroups.groupIds).toEqual([groupId]);
      for (const pod of await pods(app))
        expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBe(groupId);
    }
    expect(await dnsFrom(groupId)).toEqual(['TCP', 'UDP']);
  });

  it("revoking one app keeps the group, its DNS rules and the other app's policy", async () => {
    const { requestId, end } = await revoked(world, `revoke pod SG from app shop-a in ${ns}`);
    expect(end.state).toBe('done');
    const outputs = ((await world.app.engine.read(requestId))!.context as RevokeContext).outputs;
    expect(outputs.planning!.podGroupId).toBe(groupId);
    await expectSharedGroupKept(
      world,
      { revokeId: requestId, groupName: 'shared', groupId, revokedApp: 'shop-a', keptApp: 'shop-b' },
      ns,
    );
  });

  it('revoking the last app removes the DNS rules and the group', async () => {
    const { end } = await revoked(world, `revoke pod SG from app shop-b in ${ns}`);
    expect(end.state).toBe('done');
    expect(await groupsNamed('shared')).toEqual([]);
    expect(await dnsFrom(groupId)).toEqual([]);
    for (const pod of await pods('shop-b'))
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
  });
});
