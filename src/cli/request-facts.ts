/**
 * The structured fields `sgops say --json` adds to a line about a request, read from the console's
 * request view (GET /api/requests/:id/view) and the request's context (GET /api/requests/:id),
 * never from a message's text. The schema is in `sgops say --help` (src/cli/cli-commands.ts).
 * Pure: run-say fetches, this shapes.
 */
import type { RequestDetail } from '../console/request-views.ts';
import type { StateStatus } from '../console/workflow-progress.ts';

export interface StepFact {
  name: string;
  state: StateStatus;
  /** From the step's audited calls: null when it made none (yet). */
  startedAt: string | null;
  /** Once the step is done or failed and its calls have all ended. */
  endedAt: string | null;
  durationMs: number | null;
}

export interface PodFact {
  name: string;
  node: string | null;
  groups: string[];
  /** Null until the pod was verified. */
  ok: boolean | null;
  reason: string | null;
}

export interface RequestFacts {
  workflow: string;
  steps: StepFact[];
  pods: PodFact[];
  groupIds: string[];
  policyName: string | null;
  approvers: {
    /** Who approved, in order. */
    signed: (PersonFact & { at: string })[];
    /** Who may still approve while the request waits: the signers of every set short of its quorum. */
    mayApprove: PersonFact[];
    sets: { who: string; quorum: number; signed: PersonFact[]; mayApprove: PersonFact[] }[];
  };
}

/** A person as the policy names them (the id alone when it names them not). */
export interface PersonFact {
  id: string;
  name: string;
}

/** The parts of a grant's or a revoke's context the facts read; every field may be missing. */
interface FactsContext {
  outputs?: {
    planning?: {
      existingPodGroupId?: string | null;
      existingGroupIds?: string[];
      policy?: { name?: string; groupIds?: string[] };
    };
    ensurePodSecurityGroup?: { podGroupId?: string; groupIds?: string[] };
    applyPolicy?: { policyName?: string };
    removePolicy?: { policyName?: string };
  };
}

/** `isStep`: whether a state of the request's workflow is a step (its phase is `working`). */
export function requestFacts(
  detail: RequestDetail,
  context: unknown,
  isStep: (state: string) => boolean,
): RequestFacts {
  const outputs =
    ((typeof context === 'object' && context !== null ? context : {}) as FactsContext).outputs ?? {};
  const planning = outputs.planning;
  const ensured = outputs.ensurePodSecurityGroup;
  const groupIds =
    ensured?.groupIds ??
    (ensured?.podGroupId ? [ensured.podGroupId] : undefined) ??
    (planning?.existingGroupIds?.length ? planning.existingGroupIds : undefined) ??
    (detail.podGroupId ? [detail.podGroupId] : undefined) ??
    planning?.policy?.groupIds ??
    [];
  const verified = detail.verification?.pods;
  return {
    workflow: detail.request.workflow,
    steps: Object.entries(detail.statuses)
      .filter(([name]) => isStep(name))
      .map(([name, state]) => ({ name, state, ...stepTiming(detail.audit ?? [], name, state) })),
    pods: verified
      ? verified.map((p) => ({ name: p.name, node: p.node, groups: p.groups, ok: p.ok, reason: p.reason }))
      : (detail.plan?.pods ?? []).map((p) => ({
          name: p.name,
          node: p.node,
          groups: [],
          ok: null,
          reason: null,
        })),
    groupIds,
    policyName:
      outputs.applyPolicy?.policyName ?? outputs.removePolicy?.policyName ?? planning?.policy?.name ?? null,
    approvers: approversOf(detail),
  };
}

/** Who approved and who may still approve, as people. */
function approversOf(detail: RequestDetail): RequestFacts['approvers'] {
  const person = (id: string): PersonFact => ({ id, name: detail.people[id] ?? id });
  const waiting = detail.phase === 'waiting';
  const sets = detail.signOffs.map(({ who, quorum, signed, signers }) => ({
    who,
    quorum,
    signed: signed.map(person),
    mayApprove:
      waiting && signed.length < quorum ? signers.filter((id) => !signed.includes(id)).map(person) : [],
  }));
  const mayApprove = [...new Set(sets.flatMap((s) => s.mayApprove.map((p) => p.id)))].map(person);
  return {
    signed: detail.approvals.map(({ by, at }) => ({ ...person(by), at })),
    mayApprove,
    sets,
  };
}

/** When a step ran, by its audited calls: the first call's start, and the last call's end once it is over. */
function stepTiming(
  audit: NonNullable<RequestDetail['audit']>,
  step: string,
  state: StateStatus,
): Pick<StepFact, 'startedAt' | 'endedAt' | 'durationMs'> {
  const calls = audit.filter((c) => c.step === step);
  if (calls.length === 0) return { startedAt: null, endedAt: null, durationMs: null };
  const started = Math.min(...calls.map((c) => Date.parse(c.at)));
  const over = (state === 'done' || state === 'failed') && calls.every((c) => c.durationMs !== null);
  if (!over) return { startedAt: new Date(started).toISOString(), endedAt: null, durationMs: null };
  const ended = Math.max(...calls.map((c) => Date.parse(c.at) + (c.durationMs ?? 0)));
  return {
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
  };
}
