/**
 * Ownership at planning: every security group the request attaches to pods (`using`) or writes a
 * rule into (`using`, `allow … to`) has an owner; groups its own namespace does not own add a
 * sign-off the request waits for, and a group nobody owns stops the request here, before approval.
 * The cluster group's two DNS rules from the pod group are the namespace approvers' to approve, so
 * the cluster group counts only when it is named in `using` or `allow … to`.
 */
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import { ownNamespaceKey } from '../../../src/ports/group-owners.ts';
import type { GrantSpec, GroupTouch, SignOff } from '../types.ts';
import type { PlanningPorts } from '../../shared/step-ports.ts';
import { stepError } from '../../shared/step-error.ts';
import { words } from '../../../src/domain/words.ts';

export function signOffsFor(
  spec: GrantSpec,
  ports: Pick<PlanningPorts, 'owners'>,
  touched: { using: SecurityGroup[]; targets: SecurityGroup[] },
): SignOff[] {
  const asked = (spec.extraIngress ?? []).length > 0 || spec.egress.length > 0;
  const touches = new Map<string, { group: SecurityGroup; touches: GroupTouch[] }>();
  const note = (group: SecurityGroup, what: GroupTouch) => {
    const entry = touches.get(group.id) ?? { group, touches: [] };
    entry.touches.push(what);
    touches.set(group.id, entry);
  };
  touched.using.forEach((group, i) => {
    note(group, { kind: 'attached' });
    note(group, { kind: 'rulesWhereMissing', asked: i === 0 && asked });
  });
  const from = touched.using[0]?.id ?? null;
  for (const target of spec.targetGroups ?? []) {
    const group = touched.targets.find((g) => g.id === target.securityGroupId);
    if (!group) continue;
    note(group, {
      kind: 'ingress',
      ports: target.rules.map((r) => ({ protocol: r.protocol, port: r.port })),
      from,
    });
  }

  const signOffs = new Map<string, SignOff>();
  const unowned: SecurityGroup[] = [];
  for (const { group, touches: what } of touches.values()) {
    const owner = ports.owners.ownerOf(group, spec);
    if (owner === null) {
      unowned.push(group);
      continue;
    }
    if (owner.key === ownNamespaceKey) continue;
    const signOff = signOffs.get(owner.key) ?? { ...owner, groups: [] };
    signOff.groups.push({ id: group.id, name: group.name, touches: what });
    signOffs.set(owner.key, signOff);
  }
  if (unowned.length > 0) {
    const list = unowned.map((g) => `${g.name} (${g.id})`).join(', ');
    const first = unowned[0]!;
    throw stepError(
      'GROUP_NOT_OWNED',
      words(
        `sgops may not touch ${list}: nobody owns ${unowned.length > 1 ? 'them' : 'it'} in the access policy, so nobody can sign for it.`,
        `sgops 不能改动 ${list}：访问策略中没有它的所有者，因此无人可以为其签字批准。`,
      ),
      {
        hint: words(
          `Ask a platform engineer to name its owners in the policy file, e.g. securityGroupOwners: [{ id: ${first.id}, owners: [group:<team>] }], then ask again.`,
          `请平台工程师在策略文件中为其指定所有者，例如 securityGroupOwners: [{ id: ${first.id}, owners: [group:<团队>] }]，然后重新申请。`,
        ),
        details: { groupIds: unowned.map((g) => g.id) },
      },
    );
  }
  return [...signOffs.values()];
}
