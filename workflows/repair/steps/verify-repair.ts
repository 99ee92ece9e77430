/**
 * `verifying` of a repair: the world is read again and compared with what was approved. What a
 * repair can put back must be back; what it cannot (rules added outside sgops, pods on a normal
 * node, a group gone) was said in the plan and is not held against it. Pods still coming up are
 * looked at again a few times before the step gives up.
 */
import { joinWords, words } from '../../../src/domain/words.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import { findDrift, restorePlan } from '../../shared/drift/find-drift.ts';
import { readObserved } from '../../shared/drift/read-observed.ts';
import { stepError } from '../../shared/step-error.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import type { RepairContext, RepairStepOutputs } from '../types.ts';
import { approvedStateOf } from './plan-repair.ts';

/** Looks at pods still without the group this many times before failing. */
const podLooks = 5;

export async function verifyRepair(
  context: RepairContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RepairStepOutputs['verifying']>>> {
  const { spec } = context;
  const approved = approvedStateOf(context);
  const items = findDrift(approved, await readObserved(ports, { clusterId: spec.clusterId, spec }, approved));
  const left = restorePlan(approved, items);
  const onSuper = new Set(items.flatMap((i) => (i.kind === 'podWithoutGroup' && i.superNode ? [i.pod] : [])));
  const pods = left.recreatePods.filter((p) => onSuper.has(p));
  const writesLeft = left.rules.length > 0 || left.applyPolicy || left.labelServiceAccount;
  const remaining = items.filter(
    (i) =>
      (i.kind === 'ruleMissing' && left.rules.some((r) => r.groupId === i.groupId)) ||
      ((i.kind === 'policyMissing' || i.kind === 'policyChanged') && left.applyPolicy) ||
      (i.kind === 'labelMissing' && left.labelServiceAccount) ||
      (i.kind === 'podWithoutGroup' && onSuper.has(i.pod)),
  );
  if (remaining.length === 0) return { status: 'done', output: { remaining: [] } };
  const said = joinWords(
    remaining.map((i) => i.said),
    ' ',
  );
  if (!writesLeft && pods.length > 0 && (context.attempts.verifying ?? 0) < podLooks)
    return {
      status: 'wait',
      delayMs: ports.settings.pollDelayMs,
      progress: words(`${pods.length} pod(s) still without the group`, `${pods.length} 个 Pod 仍没有安全组`),
    };
  throw stepError(
    'PRECONDITION_FAILED',
    words(`Not as approved yet: ${said.en}`, `仍与批准时的状态不一致：${said.zh}`),
    {
      hint: words(
        `Someone may be changing it at the same time; \`retry ${spec.requestId}\` once it has settled.`,
        `可能有人正在同时修改；稳定后回复 \`重试 ${spec.requestId}\`。`,
      ),
    },
  );
}
