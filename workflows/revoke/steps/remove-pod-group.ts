/**
 * `removePodGroup`: delete the pod group when it is sgops' own for this app, no policy or pod
 * still uses it and no other group's rule refers to it. A group in use is reported, not forced.
 */
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { StepPorts } from '../../grant/step-ports.ts';
import type { RevokeContext, RevokeStepOutputs } from '../types.ts';
import { deleteGroupIfUnused } from './delete-group-if-unused.ts';
import { isSgopsPodGroup } from './pod-group-of.ts';
import { usersOf } from './remove-dns-rules.ts';
import { requireRevokeOutput } from './require-revoke-output.ts';

export async function removePodGroup(
  context: RevokeContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RevokeStepOutputs['removePodGroup']>>> {
  const { podGroupId } = requireRevokeOutput(context, 'planning');
  if (!podGroupId) return { status: 'done', output: { podGroupId: null, deleted: false, kept: [] } };
  const users = await usersOf(context, ports, podGroupId);
  const result = await deleteGroupIfUnused(ports, podGroupId, {
    ours: (group) => isSgopsPodGroup(context.spec, group),
    users,
  });
  return { status: 'done', output: { podGroupId, ...result } };
}
