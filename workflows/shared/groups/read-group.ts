/** One security group by id, or null when the cloud no longer has it (a removal that already happened). */
import { isAppError } from '../../../src/errors.ts';
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../step-ports.ts';

export async function readGroup(ports: StepPorts, securityGroupId: string): Promise<SecurityGroup | null> {
  try {
    const { groups } = await ports.cloud.describeSecurityGroups({ ids: [securityGroupId] });
    return groups.find((g) => g.id === securityGroupId) ?? null;
  } catch (error) {
    if (isAppError(error) && error.code === 'CLOUD_NOT_FOUND') return null;
    throw error;
  }
}
