/**
 * Adds the rules of one direction that are missing, in ONE call guarded by the rule set's Version,
 * ACCEPTs before any DROP. The read and the writes happen in the group's write turn
 * (ports.groupWrites), so other grants adding their DNS rules to the same cluster group wait instead
 * of racing; with ports.ruleBatches, the steps waiting for the same turn share one read and write
 * (see rule-write-batches.ts). A writer outside sgops still makes the call fail with CLOUD_VERSION_MISMATCH: the write
 * did not happen, so the rule set is re-read and re-planned here, a few times, before the step
 * itself is retried.
 */
import { isAppError } from '../../../src/errors.ts';
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../step-ports.ts';
import { acceptInsertionIndex, missingRules } from '../rules/rules.ts';

/** Re-reads after a lost race; each is one audited read and at most one write per direction. */
const attemptsAfterConflict = 5;

export async function ensureRules(
  ports: StepPorts,
  securityGroupId: string,
  wanted: Partial<Record<Direction, Rule[]>>,
): Promise<Record<Direction, Rule[]>> {
  // Joined to the rules other steps of this process want in the same group meanwhile, if any.
  const turn = ports.ruleBatches?.join(`${securityGroupId} add`, wanted);
  if (turn && !turn.leader) return turn.added;
  // What this call added, kept across attempts: a direction written before a later conflict stays added.
  const added: Record<Direction, Rule[]> = { ingress: [], egress: [] };
  try {
    const all = await ports.groupWrites.serialise(
      securityGroupId,
      async () => {
        const union = turn ? unionOf(turn.close()) : wanted;
        for (let attempt = 1; ; attempt++) {
          try {
            await addMissing(ports, securityGroupId, union, added);
            return added;
          } catch (error) {
            if (
              attempt >= attemptsAfterConflict ||
              !isAppError(error) ||
              error.code !== 'CLOUD_VERSION_MISMATCH'
            )
              throw error;
          }
        }
      },
      ports.signal,
    );
    return turn ? turn.settle(all) : all;
  } catch (error) {
    turn?.fail(error);
    throw error;
  }
}

/** Every member's wanted rules, per direction, in order. */
function unionOf(wanted: Partial<Record<Direction, Rule[]>>[]): Partial<Record<Direction, Rule[]>> {
  const union: Partial<Record<Direction, Rule[]>> = {};
  for (const w of wanted)
    for (const direction of ['ingress', 'egress'] as const)
      if (w[direction]) union[direction] = [...(union[direction] ?? []), ...w[direction]];
  return union;
}

async function addMissing(
  ports: StepPorts,
  securityGroupId: string,
  wanted: Partial<Record<Direction, Rule[]>>,
  added: Record<Direction, Rule[]>,
): Promise<void> {
  const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(securityGroupId);
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
    added[direction] = [...added[direction], ...missing];
  }
}
