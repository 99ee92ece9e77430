/**
 * `removePodGroup`: delete the pod group when it is sgops' own for this target (or the shared
 * `as group` group), no policy or pod still uses it and no other group's rule refers to it. A group
 * in use is reported, not forced. With `using` no group is ever deleted: the rules sgops wrote in
 * each named group, and in the `allow … to` groups from it, go once nobody else uses it.
 */
import { words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import type { RevokeContext, RevokeStepOutputs } from '../types.ts';
import { deleteGroupIfUnused } from '../../shared/groups/delete-group-if-unused.ts';
import { existingGroupIdsOf, isSgopsPodGroup } from './pod-group-of.ts';
import { usageOf } from './remove-dns-rules.ts';
import { removeSgopsRules } from '../../shared/groups/remove-sgops-rules.ts';
import type { RemovedRules } from '../../shared/groups/remove-sgops-rules.ts';
import { requireOutput } from '../../shared/require-output.ts';

export async function removePodGroup(
  context: RevokeContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RevokeStepOutputs['removePodGroup']>>> {
  const { podGroupId } = requireOutput(context, 'planning');
  const existing = existingGroupIdsOf(context.spec);
  if (existing.length > 0) {
    const kept: Words[] = [];
    const removedRules: RemovedRules[] = [];
    const usersOf = await usageOf(context, ports);
    for (const id of existing) {
      const users = usersOf(id);
      if (users.length > 0) {
        kept.push(
          ...users.map((u) =>
            words(`the rules sgops added for ${id}: ${u.en}`, `sgops 为 ${id} 添加的规则：${u.zh}`),
          ),
        );
        continue;
      }
      removedRules.push(...(await removeSgopsRules(ports, id, {})));
      for (const target of context.spec.targetGroupIds ?? [])
        removedRules.push(...(await removeSgopsRules(ports, target, { peer: [id] })));
    }
    return { status: 'done', output: { podGroupId: null, deleted: false, kept, removedRules } };
  }
  if (!podGroupId) return { status: 'done', output: { podGroupId: null, deleted: false, kept: [] } };
  const users = (await usageOf(context, ports))(podGroupId);
  const result = await deleteGroupIfUnused(ports, podGroupId, {
    ours: (group) => isSgopsPodGroup(context.spec, group),
    users,
  });
  return { status: 'done', output: { podGroupId, ...result } };
}
