/**
 * Removes the given rules of one direction that are still present, in ONE call guarded by the rule
 * set's Version, read and written in the group's write turn (ports.groupWrites): other sgops writers
 * of the group wait; one outside sgops makes it fail with the retryable CLOUD_VERSION_MISMATCH, and
 * the step re-reads. Rules already gone are skipped, so a re-run changes nothing. With
 * ports.ruleBatches, removals waiting for the same turn share one read and one delete.
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
  // Joined to the removals other steps of this process want from the same group meanwhile, if any.
  const turn = ports.ruleBatches?.join(`${securityGroupId} remove ${direction}`, { [direction]: rules });
  if (turn && !turn.leader) return (await turn.added)[direction];
  try {
    const removed = await ports.groupWrites.serialise(
      securityGroupId,
      async () => {
        const all = turn ? turn.close().flatMap((w) => w[direction] ?? []) : rules;
        const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(securityGroupId);
        // The rules as the cloud holds them (with their own descriptions), each once.
        const present = ruleSet[direction]
          .filter((existing) => all.some((r) => sameRule(existing, r)))
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
    if (!turn) return removed;
    const none = { ingress: [], egress: [] };
    return turn.settle({ ...none, [direction]: removed })[direction];
  } catch (error) {
    turn?.fail(error);
    throw error;
  }
}
