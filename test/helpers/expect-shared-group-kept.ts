/**
 * After revoking one of two apps that share a named pod group: the revoked app's policy and pod
 * annotations are gone, and the shared group, its DNS rules and the other app's access remain —
 * because the revoke saw the other app's policy naming the group.
 */
import { saidIn } from '../../src/domain/words.ts';
import { expect } from 'vitest';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import type { RevokeContext } from '../../workflows/revoke/types.ts';
import type { TestWorld } from './test-world.ts';
import { worldReaders } from './world-readers.ts';

export async function expectSharedGroupKept(
  world: TestWorld,
  shared: { revokeId: string; groupName: string; groupId: string; revokedApp: string; keptApp: string },
  namespace = 'my-namespace',
): Promise<void> {
  const { pods, groupsNamed, dnsFrom, policy } = worldReaders(() => world, namespace);
  const { groupId } = shared;
  const outputs = ((await world.app.engine.read(shared.revokeId))!.context as RevokeContext).outputs;
  expect(outputs.planning!.stillUsedBy.map((u) => saidIn(u, 'en'))).toContain(
    `SecurityGroupPolicy ${namespace}/sgops-${shared.keptApp} names ${groupId}`,
  );
  expect(outputs.removePodGroup).toMatchObject({ podGroupId: groupId, deleted: false });

  expect(await policy(`sgops-${shared.revokedApp}`)).toBeNull();
  for (const pod of await pods(shared.revokedApp))
    expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
  expect(await groupsNamed(shared.groupName)).toHaveLength(1);
  expect(await dnsFrom(groupId)).toEqual(['TCP', 'UDP']);
  expect((await policy(`sgops-${shared.keptApp}`))!.spec.securityGroups.groupIds).toEqual([groupId]);
  for (const pod of await pods(shared.keptApp))
    expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBe(groupId);
}
