/**
 * Which steps `sgops say --follow` still owes a line. The chat tells only the requester that a
 * step started (the `stepStarted` notice), and no workflow announces the step that follows its
 * approval or plan: so an approver following a grant saw "approved" and "done", and a requester
 * missed the first step. The follower reads the steps from the request view instead, and prints
 * each step that started once, in the workflow's order, whether or not a message announced it.
 */
import type { StateStatus } from '../console/workflow-progress.ts';
import { replyTexts, stepLabel } from '../chat/reply-texts.ts';
import type { Locale } from '../domain/locale.ts';
import { phaseOf } from '../../workflows/workflow-module.ts';
import type { WorkflowModule } from '../../workflows/workflow-module.ts';

export interface StepLine {
  step: string;
  text: string;
}

export interface FollowSteps {
  /**
   * The steps before `state` (all of them when `state` is not on the workflow's road) that started
   * and have no line yet; marked as printed. `statuses` are the view's, in the workflow's order.
   */
  owed(statuses: Record<string, StateStatus>, state?: string): StepLine[];
  /** The step a message announces (its text is the `stepStarted` notice's), or null. */
  announcedBy(text: string): string | null;
  /** Marks a step as printed; false when this follow already printed a line for it. */
  mark(step: string): boolean;
}

const started = new Set<StateStatus>(['done', 'current', 'failed']);

/**
 * @param since the state the request was in when the person's line was answered: the steps
 *   before it happened earlier and get no line, and so does the first state (the opening reply
 *   says it is planning).
 */
export function followSteps(
  workflow: Pick<WorkflowModule, 'name' | 'machine' | 'phases'>,
  requestId: string,
  locale: Locale,
  statuses: Record<string, StateStatus>,
  since: string | undefined,
): FollowSteps {
  const isStep = (state: string) => phaseOf(workflow, state) === 'working';
  const text = (step: string, inLocale: Locale = locale) =>
    replyTexts[inLocale].stepStarted({ id: requestId, step: stepLabel(inLocale, workflow.name, step) });
  // Steps that ran before the line was said, and those this follow printed a line for.
  const earlier = new Set<string>();
  const printed = new Set<string>();
  const initial = workflow.machine.config.initial;
  if (typeof initial === 'string') earlier.add(initial);
  const order = Object.keys(statuses);
  const at = since === undefined ? -1 : order.indexOf(since);
  // Off the road (failed, say): the steps done by then; a failed one may be retried and get its line.
  for (const step of at >= 0 ? order.slice(0, at) : order.filter((s) => statuses[s] === 'done'))
    earlier.add(step);

  return {
    owed(current, state) {
      const owed = before(current, state).filter(
        (s) => isStep(s) && started.has(current[s]!) && !printed.has(s) && !earlier.has(s),
      );
      for (const step of owed) printed.add(step);
      return owed.map((step) => ({ step, text: text(step) }));
    },
    announcedBy(said) {
      for (const step of Object.keys(statuses).filter(isStep))
        if (said === text(step, 'en') || said === text(step, 'zh')) return step;
      return null;
    },
    mark(step) {
      if (printed.has(step)) return false;
      printed.add(step);
      return true;
    },
  };
}

/** The states before `state` in the view's order; all of them when it is not among them. */
function before(statuses: Record<string, StateStatus>, state: string | undefined): string[] {
  const order = Object.keys(statuses);
  const at = state === undefined ? -1 : order.indexOf(state);
  return at < 0 ? order : order.slice(0, at);
}
