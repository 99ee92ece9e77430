/**
 * Deletes a pod group only when it is sgops' own and nobody needs it any more: no other group's
 * rule refers to it (DescribeSecurityGroupReferences), and no policy or pod still uses it. A group
 * in use is reported, never forced.
 */
import { isAppError } from '../../../src/errors.ts';
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../step-ports.ts';
import { words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import { readGroup } from './read-group.ts';

export async function deleteGroupIfUnused(
  ports: StepPorts,
  securityGroupId: string,
  input: {
    /** Whether the group, as it is now, may be deleted by this request (sgops-managed; made by it). */
    ours: (group: SecurityGroup) => boolean;
    /** Other users found by the caller (policies, pods): any of them keeps the group. */
    users: Words[];
  },
): Promise<{ deleted: boolean; kept: Words[] }> {
  const group = await readGroup(ports, securityGroupId);
  // Already gone (an earlier run deleted it before its outcome was committed): the removal happened.
  if (!group) return { deleted: true, kept: [] };
  if (!input.ours(group))
    return {
      deleted: false,
      kept: [
        words(
          `${securityGroupId} was not made by this request (its tags say so)`,
          `${securityGroupId} 不是本请求创建的（其标签如此显示）`,
        ),
      ],
    };
  if (input.users.length > 0)
    return {
      deleted: false,
      kept: input.users.map((u) => words(`${securityGroupId}: ${u.en}`, `${securityGroupId}：${u.zh}`)),
    };
  const { references } = await ports.cloud.describeSecurityGroupReferences([securityGroupId]);
  const referredBy = references.find((r) => r.securityGroupId === securityGroupId)?.referredBy ?? [];
  if (referredBy.length > 0) {
    return {
      deleted: false,
      kept: [
        words(
          `${securityGroupId} is referred to by the rules of ${referredBy.join(', ')}`,
          `${securityGroupId} 仍被 ${referredBy.join(', ')} 的规则引用`,
        ),
      ],
    };
  }
  try {
    await ports.cloud.deleteSecurityGroup(securityGroupId);
  } catch (error) {
    // Gone in between (a concurrent run): the removal happened. In use in between: report, never force.
    if (isAppError(error) && error.code === 'CLOUD_NOT_FOUND') return { deleted: true, kept: [] };
    if (isAppError(error) && error.code === 'CLOUD_IN_USE')
      return {
        deleted: false,
        kept: [
          words(
            `${securityGroupId} is in use: ${error.message}`,
            `${securityGroupId} 仍在使用中，腾讯云原文：「${error.message}」`,
          ),
        ],
      };
    throw error;
  }
  return { deleted: true, kept: [] };
}
