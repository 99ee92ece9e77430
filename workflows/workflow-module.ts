/**
 * What a workflow brings to the registry, and all sgops needs to know of it: what the engine runs
 * (its machine, snapshot versions, delayed and own effects), the steps its states run, what each of
 * its states means to people, the chat lines that open it, the messages its states send, and how the
 * console draws it. Adding a workflow is one folder that exports one of these, and one line in
 * workflows/index.ts.
 */
import type { Command } from '../src/commands/command.ts';
import type { Locale } from '../src/domain/locale.ts';
import type { ChatOutbound, OutboundKind, Recipient } from '../src/ports/chat-message.ts';
import type { ChatDeps, ChatTurn } from '../src/chat/chat-turn.ts';
import type { Policy } from '../src/policy/create-policy.ts';
import type { StepResult } from '../src/ports/step-result.ts';
import type { WorkflowDefinition } from '../src/ports/workflow-definition.ts';
import type { StatePhase } from '../src/ports/state-phase.ts';
import type { PlanningPorts } from './shared/step-ports.ts';

import { atRest } from '../src/ports/state-phase.ts';

export { atRest, type StatePhase };

export type AnyStep = (context: never) => Promise<StepResult>;

/** A chat line, parsed by the sgops grammar when it could be (else `command` is null). */
export interface ChatLine {
  text: string;
  command: Command | null;
}

/** Handles a line that opens a workflow: checks who may, opens the request, answers. */
export type OpenRequestHandler = (turn: ChatTurn, deps: ChatDeps) => Promise<void>;

/** One notify job, as the machine's `notify` effect describes it. */
export interface NotifyJob {
  requestId: string;
  template: string;
  audience: 'requester' | 'approvers' | 'everyone';
  step?: string;
}

/** What a template is rendered from: the request at send time, for one recipient. */
export interface NotifyInput {
  job: NotifyJob;
  workflow: string;
  context: never;
  state: string;
  recipient: Recipient;
  policy: Policy;
  /** The console's address as people reach it, when it is served. */
  consoleUrl?: string;
}

export interface NotificationTemplate {
  kind: OutboundKind;
  /** The message's words for one recipient: text, or an approval card with its buttons. */
  compose(input: NotifyInput): Pick<ChatOutbound, 'text' | 'card' | 'actions'>;
  /** Who was already answered in reply to their own line (the decider), so is not told again. */
  answered?(context: never): string | undefined;
}

/** How the console draws a request of this workflow (it speaks English). */
export interface WorkflowView {
  /** Plain words under each state of the diagram; a state without one shows its id. */
  labels: Record<string, string>;
  /** Statuses only this workflow's context tells (a step skipped, a verification that found faults). */
  adjustStatuses?(statuses: Record<string, string>, state: string, context: never): Record<string, string>;
  /** Whether the detail pane shows the request's plan open, in this state (a decision pending). */
  planOpen?(state: string): boolean;
  /** Facts of its context the console shows beyond the plan, the error and the audit: a grant's own. */
  facts?: { signOffs?: boolean; verification?: boolean; podGroup?: boolean };
}

export interface WorkflowModule extends WorkflowDefinition {
  /** The step of each state that runs one, over the audited ports of one step job. */
  steps(ports: PlanningPorts): Record<string, AnyStep>;
  /** What every state means (see StatePhase); a state not listed is `working`. */
  phases: Record<string, StatePhase>;
  /** The handler of a chat line that opens this workflow, or null when the line is not one of its. */
  opens?(line: ChatLine): OpenRequestHandler | null;
  /** The messages its `notify` effects name, by template. */
  notifications: Record<string, NotificationTemplate>;
  /** The sign-off sets (beyond the namespace's approvers) whose members are approvers of a request. */
  approverKeys?(context: never): string[] | undefined;
  /** What a request is, in one phrase ("grant pod SG to app … for 8h"), for status answers. */
  describe?(context: never, locale: Locale): string;
  view: WorkflowView;
}

/** What a request of `workflow` in `state` means to people (unlisted states are `working`). */
export function phaseOf(workflow: Pick<WorkflowModule, 'phases'>, state: string): StatePhase {
  return workflow.phases[state] ?? 'working';
}

/** Every state of the registry a request comes to rest in (by name, across workflows). */
export function restingStates(
  workflows: readonly Pick<WorkflowModule, 'name' | 'phases'>[],
): ReadonlySet<string> {
  return new Set(
    Object.entries(statePhases(workflows))
      .filter(([, phase]) => atRest(phase))
      .map(([state]) => state),
  );
}

/**
 * What each state name means across the registry. A name means one thing in every workflow that
 * has it (`failed` is never `ok` in one and `failed` in another), so a message that carries only
 * a state name is still read right; a registry that breaks this is refused.
 */
export function statePhases(
  workflows: readonly Pick<WorkflowModule, 'name' | 'phases'>[],
): Record<string, StatePhase> {
  const phases: Record<string, StatePhase> = {};
  const owner: Record<string, string> = {};
  for (const w of workflows) {
    for (const [state, phase] of Object.entries(w.phases)) {
      if (phases[state] !== undefined && phases[state] !== phase)
        throw new Error(
          `State ${state} is ${phases[state]} in workflow ${owner[state]} but ${phase} in ${w.name}; a state name means one thing.`,
        );
      phases[state] = phase;
      owner[state] = w.name;
    }
  }
  return phases;
}
