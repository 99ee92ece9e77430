/**
 * Removes the given rules of one direction that are still present, in ONE call guarded by the rule
 * set's Version, read and written in the group's write turn (ports.groupWrites): other sgops writers
 * of the group wait; one outside sgops makes it fail with the retryable CLOUD_VERSION_MISMATCH, and
 * the step re-reads. Rules already gone are skipped, so a re-run changes nothing.
 */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../step-ports.ts';
import { sameRule } from '../rules/rules.ts';

export async function removeRules(
  ports: StepPorts,
  securityGroupId: string,
  direction: Direction,
  rules: Rule[],
): Promise<Rule[]> {
  if (rules.length === 0) return [];
  return ports.groupWrites.serialise(
    securityGroupId,
    async () => {
      const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(securityGroupId);
      // The rules as the cloud holds them (with their own descriptions), each once.
      const present = ruleSet[direction]
        .filter((existing) => rules.some((r) => sameRule(existing, r)))
        .map(({ index: _index, ...rule }) => rule);
      if (present.length === 0) return [];
      await ports.cloud.deleteSecurityGroupPolicies({
        securityGroupId,
        direction,
        rules: present,
        version: ruleSet.version,
      });
      return present;
    },
    ports.signal,
  );
}
