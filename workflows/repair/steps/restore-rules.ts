/**
 * `restoreRules`: writes back the rules the plan found missing, per group and direction, as the
 * grant wrote them (its descriptions). Each group is re-read in its write turn before anything is
 * added (ensureRules), so a rule put back meanwhile — by a person, or by this step's earlier run —
 * is not written twice. What it reports restored is every planned rule, in place once the step
 * ends, not only what this run wrote: a run cut off after the cloud applied its write (a replica
 * killed before the answer came) leaves the re-run nothing to write, and the repair still put the
 * rules back.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import { ensureRules } from '../../shared/groups/ensure-rules.ts';
import { requireOutput } from '../../shared/require-output.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import type { RepairContext, RepairStepOutputs } from '../types.ts';

export async function restoreRules(
  context: RepairContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RepairStepOutputs['restoreRules']>>> {
  const { restore } = requireOutput(context, 'planning');
  const restored: NonNullable<RepairStepOutputs['restoreRules']>['restored'] = [];
  for (const { groupId, direction, rules } of restore.rules) {
    await ensureRules(ports, groupId, { [direction]: rules });
    if (rules.length > 0) restored.push({ groupId, direction, rules });
  }
  return { status: 'done', output: { restored } };
}
