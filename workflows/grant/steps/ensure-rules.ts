/**
 * Adds the rules of one direction that are missing, in ONE call guarded by the rule set's Version,
 * ACCEPTs before any DROP. A concurrent writer makes the call fail with CLOUD_VERSION_MISMATCH,
 * which is retryable: the step re-reads and re-plans.
 */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../step-ports.ts';
import { acceptInsertionIndex, missingRules } from '../rules.ts';

export async function ensureRules(
  ports: StepPorts,
  securityGroupId: string,
  wanted: Partial<Record<Direction, Rule[]>>,
): Promise<Record<Direction, Rule[]>> {
  const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(securityGroupId);
  const added: Record<Direction, Rule[]> = { ingress: [], egress: [] };
  let version = ruleSet.version;
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = wanted[direction];
    if (!rules) continue;
    const missing = missingRules(ruleSet[direction], rules);
    if (missing.length === 0) continue;
    const accepts = missing.every((r) => r.action === 'ACCEPT');
    const index = accepts ? acceptInsertionIndex(ruleSet[direction]) : undefined;
    await ports.cloud.createSecurityGroupPolicies({
      securityGroupId,
      direction,
      rules: missing,
      ...(index === undefined ? {} : { index }),
      version,
    });
    // Each write bumps the version by one (documented emulator rule; the real API agrees in practice).
    version = String(Number(version) + 1);
    added[direction] = missing;
  }
  return added;
}
