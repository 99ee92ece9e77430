/**
 * `ensurePodSecurityGroup` (seed 1b): find the group by name and tags, create it only when absent.
 * With `as group <name>` the group found may be another grant's, and is shared. With `using`
 * nothing is made: the named groups are read again (they may have gone since the plan).
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { checkExistingGroups } from './check-groups.ts';
import { findPodGroup, podGroupDescription, podGroupTags } from '../../shared/groups/find-pod-group.ts';

/** Records which request created the group, so a re-run after a crash still knows the group is ours to roll back. */
export const createdByTag = 'sgops/created-by';

export async function ensurePodSecurityGroup(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ podGroupId: string; created: boolean; groupIds?: string[] }>> {
  const { spec } = context;
  if (spec.groups?.kind === 'existing') {
    const groups = await checkExistingGroups(ports, spec.groups.ids);
    const groupIds = groups.map((g) => g.id);
    return { status: 'done', output: { podGroupId: groupIds[0]!, created: false, groupIds } };
  }
  const found = await findPodGroup(spec, ports);
  if (found) {
    return {
      status: 'done',
      output: { podGroupId: found.id, created: found.tags[createdByTag] === spec.requestId },
    };
  }
  const { group } = await ports.cloud.createSecurityGroup({
    name: spec.podGroupName,
    description: podGroupDescription(spec),
    tags: { ...podGroupTags(spec), [createdByTag]: spec.requestId },
  });
  return { status: 'done', output: { podGroupId: group.id, created: true } };
}
