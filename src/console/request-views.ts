/**
 * What the console shows of a request: a line for the list, and the whole picture for the detail
 * pane (diagram statuses, plan, per-pod verification, audit timeline). Pure: the routes fetch,
 * these shape.
 */
import type { RequestView } from '../engine/engine.ts';
import type { Policy } from '../policy/create-policy.ts';
import type { RequestRow } from '../store/store.ts';
import type { GrantContext, Plan, PodVerdict } from '../../workflows/grant/types.ts';
import { signOffProgress } from '../../workflows/shared/sign-off-progress.ts';
import { signOffName, touchWords } from '../chat/sign-off-words.ts';
import type { AuditCall } from './audit-timeline.ts';
import type { LivePod } from './live-pods.ts';
import type { RequestAction } from './request-actions.ts';
import { stepTimeline } from './step-timeline.ts';
import type { StepRun } from './step-timeline.ts';
import type { WorkflowGraph } from './workflow-graph.ts';
import { targetText } from '../domain/target-text.ts';
import { workflowProgress } from './workflow-progress.ts';
import type { StateStatus } from './workflow-progress.ts';
import { workflowRegistry } from '../../workflows/index.ts';
import type { Locale } from '../commands/command.ts';
import { phaseOf } from '../../workflows/workflow-module.ts';
import type { StatePhase, WorkflowModule } from '../../workflows/workflow-module.ts';
import { saidIn } from '../domain/words.ts';
import type { Said } from '../domain/words.ts';
import { errorIn } from '../chat/error-in.ts';
import { planIn, verdictIn } from '../chat/plan-in.ts';

/** What the console reads of a workflow: what its states mean and how it is drawn. */
export type ConsoleWorkflow = Pick<WorkflowModule, 'name' | 'machine' | 'phases' | 'view'> &
  Partial<Pick<WorkflowModule, 'approverKeys'>>;

const registered = new Map<string, ConsoleWorkflow>(workflowRegistry.map((w) => [w.name, w]));

export interface RequestSummary {
  id: string;
  workflow: string;
  /** What kind of request it is, for the list's verb column: grant, dry run, revoke (or the workflow's name). */
  verb: string;
  /** One line: what was asked, e.g. "app my-app in my-namespace on cls-sandbox1". */
  what: string;
  requester: string;
  clusterId: string;
  namespace: string;
  state: string;
  /** What the state means (waiting, working, ok, failed): what the console colours by. */
  phase: StatePhase;
  createdAt: string;
  updatedAt: string;
}

export interface RequestDetail {
  request: RequestSummary;
  state: string;
  phase: StatePhase;
  statuses: Record<string, StateStatus>;
  /** Whether the plan starts open (a decision is pending). */
  planOpen: boolean;
  /** Which of its workflow's own facts the pane shows (a grant's verification and pod group). */
  facts: { verification: boolean; podGroup: boolean };
  /** Free text of the last re-arm, e.g. "1/2 pods updated". */
  progress: string | null;
  failedStep: string | null;
  error: { code: string; message: string; hint: string | null } | null;
  approvals: { by: string; at: string; comment?: string }[];
  decision: { by: string; at: string; reason?: string } | null;
  plan: Plan | null;
  /** A grant's line as asked (all of it: `using`, `allow … to`), when it was recorded. */
  asked: string | null;
  /**
   * Whose sign-off a grant needs: its namespace's approvers and the owners of each other team's
   * group its plan touches, with who signed so far (empty before the plan).
   */
  signOffs: {
    who: string;
    quorum: number;
    signed: string[];
    groups: { id: string; name: string; touches: string[] }[];
    /** Everyone whose sign-off counts for the set, by the policy now (the requester left out). */
    signers: string[];
  }[];
  podGroupId: string | null;
  verification: { pods: (PodVerdict & { reason: string | null })[]; allVerified: boolean } | null;
  /** The pods as they are now, while they restart (see live-pods.ts); null at any other time. */
  pods: LivePod[] | null;
  /** Null when the console has no store to read the audit log from. */
  audit: AuditCall[] | null;
  /** The audit grouped under the step that made each call, with each step's times (null as `audit`). */
  steps: StepRun[] | null;
  /** When a time-bound grant ends, once it is in force. */
  expiresAt: string | null;
  /** Why, as the requester said it (`because …`). */
  reason: string | null;
  /** What the drift watch finds no longer as approved, in the reader's language; null when nothing. */
  drift: { since: string; notes: string[] } | null;
  /** What the viewing person may do to it now (none for a view that names nobody). */
  actions: RequestAction[];
  /** Display names, by id, of the people who signed or may sign it (from the policy). */
  people: Record<string, string>;
}

/**
 * @param workflow the request's workflow (default: the registered one of its name)
 * @param state the request's state, when newer than the row's
 * @param locale the reader's language, for what was asked
 */
export function requestSummary(
  row: RequestRow,
  workflow: ConsoleWorkflow | undefined = registered.get(row.workflow),
  state: string = row.state,
  locale: Locale = 'en',
): RequestSummary {
  return {
    id: row.id,
    workflow: row.workflow,
    verb: verbOf(row, state),
    what: describeSpec(row, locale),
    requester: row.requester,
    clusterId: row.clusterId,
    namespace: row.namespace,
    state,
    phase: workflow ? phaseOf(workflow, state) : 'working',
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

interface ConsoleContext {
  approvedAt?: string | null;
  progress?: Said | null;
  failedStep?: string | null;
  error?: Parameters<typeof errorIn>[0] | null;
  approvals?: { by: string; at: string; comment?: string }[];
  decision?: { by: string; at: string; reason?: string } | null;
  expiresAt?: string | null;
  spec?: { reason?: string };
  drift?: GrantContext['drift'];
  outputs?: {
    planning?: Plan;
    ensurePodSecurityGroup?: { podGroupId: string };
    verifying?: { pods: PodVerdict[]; allVerified: boolean };
  };
}

/** The sign-off sets of a planned grant, named for people in the reader's language. */
function signOffsOf(
  view: RequestView,
  locale: Locale,
  policy: Pick<Policy, 'signersFor'> | undefined,
): Pick<RequestDetail, 'asked' | 'signOffs'> {
  const context = view.context as Partial<GrantContext> | null;
  const planning = context?.outputs?.planning;
  if (!context?.spec || !planning) return { asked: null, signOffs: [] };
  const grant = context as GrantContext;
  const groups = new Map(
    (planning.signoffs ?? []).map((s) => [
      s.key,
      s.groups.map((g) => ({ ...g, touches: g.touches.map((t) => touchWords(t, locale)) })),
    ]),
  );
  return {
    asked: grant.spec.commandLine ?? null,
    signOffs: signOffProgress(grant).map((set) => ({
      who: signOffName(set, grant.spec.namespace, locale),
      quorum: set.quorum,
      signed: set.signed,
      groups: groups.get(set.key) ?? [],
      signers: policy?.signersFor(set.key, grant.spec) ?? [],
    })),
  };
}

/**
 * @param workflow the request's workflow (default: the registered one of its name)
 * @param locale the reader's language
 * @param policy who may sign each sign-off set, and people's names (none without it)
 */
export function requestDetail(
  view: RequestView,
  graph: WorkflowGraph,
  audit: AuditCall[] | null,
  workflow: ConsoleWorkflow | undefined = registered.get(view.request.workflow),
  locale: Locale = 'en',
  policy?: Pick<Policy, 'signersFor' | 'person'>,
): RequestDetail {
  const ctx = (
    typeof view.context === 'object' && view.context !== null ? view.context : {}
  ) as ConsoleContext;
  const outputs = ctx.outputs ?? {};
  const facts = workflow?.view.facts ?? {};
  const progress = workflowProgress(graph, view.state, view.context);
  const adjust = workflow?.view.adjustStatuses;
  const signOffs = facts.signOffs ? signOffsOf(view, locale, policy) : { asked: null, signOffs: [] };
  return {
    request: requestSummary(view.request, workflow, view.state, locale),
    state: view.state,
    phase: workflow ? phaseOf(workflow, view.state) : 'working',
    statuses: (adjust ? adjust(progress, view.state, ctx as never) : progress) as Record<string, StateStatus>,
    planOpen: workflow?.view.planOpen?.(view.state) ?? false,
    facts: { verification: facts.verification === true, podGroup: facts.podGroup === true },
    progress: ctx.progress ? saidIn(ctx.progress, locale) : null,
    failedStep: ctx.failedStep ?? null,
    error: ctx.error ? { code: ctx.error.code ?? 'ERROR', ...hintOrNull(errorIn(ctx.error, locale)) } : null,
    approvals: ctx.approvals ?? [],
    decision: ctx.decision ?? null,
    plan: outputs.planning ? planIn(outputs.planning, locale) : null,
    ...signOffs,
    podGroupId: outputs.ensurePodSecurityGroup?.podGroupId ?? outputs.planning?.existingPodGroupId ?? null,
    verification: outputs.verifying
      ? { ...outputs.verifying, pods: (outputs.verifying.pods ?? []).map((p) => verdictIn(p, locale)) }
      : null,
    pods: null,
    audit,
    steps: audit ? stepTimeline(audit) : null,
    expiresAt: ctx.expiresAt ?? null,
    reason: ctx.spec?.reason ?? null,
    drift: ctx.drift?.notes.length
      ? { since: ctx.drift.since, notes: ctx.drift.notes.map((n) => n.said[locale]) }
      : null,
    actions: [],
    people: peopleOf(
      [...(ctx.approvals ?? []).map((a) => a.by), ...signOffs.signOffs.flatMap((s) => s.signers)],
      policy,
    ),
  };
}

const hintOrNull = ({ message, hint }: { message: string; hint: string }) => ({
  message,
  hint: hint || null,
});

/** Each person's display name, by id; none without a policy. */
function peopleOf(
  ids: readonly string[],
  policy: Pick<Policy, 'person'> | undefined,
): Record<string, string> {
  const named: Record<string, string> = {};
  for (const id of ids) {
    const name = policy?.person(id)?.name;
    if (name) named[id] = name;
  }
  return named;
}

/** A grant, its dry run (`plan …`, which rests in `planned`), or a revoke; other workflows by name. */
function verbOf(row: RequestRow, state: string): string {
  if (row.workflow !== 'grant') return row.workflow;
  const line = row.spec['commandLine'];
  return state === 'planned' || (typeof line === 'string' && line.startsWith('plan ')) ? 'dry run' : 'grant';
}

function describeSpec(row: RequestRow, locale: Locale): string {
  const target = row.spec['target'];
  const what = target ? targetText(target, locale) : row.workflow;
  if (locale === 'zh') return `${what}，命名空间 ${row.namespace}，集群 ${row.clusterId}`;
  return `${what} in ${row.namespace} on ${row.clusterId}`;
}
