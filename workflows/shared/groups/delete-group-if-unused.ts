/**
 * Deletes a pod group only when it is sgops' own and nobody needs it any more: no other group's
 * rule refers to it (DescribeSecurityGroupReferences), and no policy or pod still uses it. A group
 * in use is reported, never forced.
 */
import { isAppError } from '../../../src/errors.ts';
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../step-ports.ts';
import { readGroup } from './read-group.ts';

export async function deleteGroupIfUnused(
  ports: StepPorts,
  securityGroupId: string,
  input: {
    /** Whether the group, as it is now, may be deleted by this request (sgops-managed; made by it). */
    ours: (group: SecurityGroup) => boolean;
    /** Other users found by the caller (policies, pods): any of them keeps the group. */
    users: string[];
  },
): Promise<{ deleted: boolean; kept: string[] }> {
  const group = await readGroup(ports, securityGroupId);
  // Already gone (an earlier run deleted it before its outcome was committed): the removal happened.
  if (!group) return { deleted: true, kept: [] };
  if (!input.ours(group))
    return { deleted: false, kept: [`${securityGroupId} was not made by this request (its tags say so)`] };
  if (input.users.length > 0)
    return { deleted: false, kept: input.users.map((u) => `${securityGroupId}: ${u}`) };
  const { references } = await ports.cloud.describeSecurityGroupReferences([securityGroupId]);
  const referredBy = references.find((r) => r.securityGroupId === securityGroupId)?.referredBy ?? [];
  if (referredBy.length > 0) {
    return {
      deleted: false,
      kept: [`${securityGroupId} is referred to by the rules of ${referredBy.join(', ')}`],
    };
  }
  try {
    await ports.cloud.deleteSecurityGroup(securityGroupId);
  } catch (error) {
    // Gone in between (a concurrent run): the removal happened. In use in between: report, never force.
    if (isAppError(error) && error.code === 'CLOUD_NOT_FOUND') return { deleted: true, kept: [] };
    if (isAppError(error) && error.code === 'CLOUD_IN_USE')
      return { deleted: false, kept: [`${securityGroupId} is in use: ${error.message}`] };
    throw error;
  }
  return { deleted: true, kept: [] };
}
