/**
 * Ownership at a repair's planning, as at the grant's: a rule written back into another team's
 * group (`allow … to`, `using`) waits for that group's owners too, and a group nobody owns stops
 * the repair before approval. The cluster group's DNS and kubelet rules and sgops' own pod group
 * are the namespace approvers' to approve, so only groups the grant wrote into as `target` or
 * `using` are asked about.
 */
import { words } from '../../../src/domain/words.ts';
import { ownNamespaceKey } from '../../../src/ports/group-owners.ts';
import type { ApprovedState } from '../../shared/drift/approved-state.ts';
import type { RestorePlan } from '../../shared/drift/restore-plan.ts';
import { stepError } from '../../shared/step-error.ts';
import type { PlanningPorts } from '../../shared/step-ports.ts';
import type { RepairSignOff, RepairSpec } from '../types.ts';

export async function repairSignOffs(
  spec: RepairSpec,
  approved: ApprovedState,
  restore: RestorePlan,
  ports: Pick<PlanningPorts, 'cloud' | 'owners'>,
): Promise<RepairSignOff[]> {
  const shared = restore.rules.filter(({ groupId }) =>
    approved.groups.some(
      (g) => g.id === groupId && !g.own && g.roles.some((r) => r === 'target' || r === 'using'),
    ),
  );
  const ids = [...new Set(shared.map((r) => r.groupId))];
  if (ids.length === 0) return [];
  const { groups } = await ports.cloud.describeSecurityGroups({ ids });
  const signOffs = new Map<string, RepairSignOff>();
  const unowned: string[] = [];
  for (const id of ids) {
    const group = groups.find((g) => g.id === id);
    // A group gone is restorePlan's to skip; nothing is written into it.
    if (!group) continue;
    const owner = ports.owners.ownerOf(group, spec);
    if (owner === null) {
      unowned.push(`${group.name} (${group.id})`);
      continue;
    }
    if (owner.key === ownNamespaceKey) continue;
    const signOff = signOffs.get(owner.key) ?? { ...owner, groups: [] };
    const rules = shared.filter((r) => r.groupId === id).flatMap((r) => r.rules);
    signOff.groups.push({
      id,
      name: group.name,
      touches: [
        { kind: 'ingress', ports: rules.map((r) => ({ protocol: r.protocol, port: r.port })), from: null },
      ],
    });
    signOffs.set(owner.key, signOff);
  }
  if (unowned.length > 0)
    throw stepError(
      'GROUP_NOT_OWNED',
      words(
        `sgops may not write into ${unowned.join(', ')}: nobody owns it in the access policy, so nobody can sign for it.`,
        `sgops 不能写入 ${unowned.join(', ')}：访问策略中没有它的所有者，因此无人可以为其签字批准。`,
      ),
    );
  return [...signOffs.values()];
}
