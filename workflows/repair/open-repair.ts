/**
 * `repair <id>`: the grant's requester or its namespace's approvers (as for `retry` and `rollback`)
 * ask sgops to put back what the grant made. Only a grant in force (`done`, `active`) is repaired.
 * What was approved is copied from the grant into the repair's spec now — the repair restores that,
 * read once at opening (a grant whose policy a later revoke took away is in force no more); whether anything differs is for its planning to say, since chat never
 * calls a cloud API inline.
 */
import type { Command } from '../../src/commands/command.ts';
import type { ChatDeps, ChatTurn } from '../../src/chat/chat-turn.ts';
import { openRequest } from '../../src/chat/handlers/open-request.ts';
import { maySeeRequest } from '../../src/chat/may-see-request.ts';
import { describeRequest } from '../../src/chat/render-grant.ts';
import { approvedState } from '../shared/drift/approved-state.ts';
import type { ApprovalRecord } from '../shared/drift/approved-state.ts';
import type { TargetSpec } from '../shared/target-spec.ts';
import { AppError } from '../../src/errors.ts';
import { phaseOf } from '../workflow-module.ts';
import { repairMachine } from './machine.ts';
import { repairPhases } from './phases.ts';
import type { RepairInput, RepairSpec } from './types.ts';

/** The states of a grant in force: what it made is what was approved. */
const inForce = ['done', 'active'];

/** What a repair reads of the grant: its names and target, and what approvedState needs. */
type GrantRecord = ApprovalRecord & { spec: ApprovalRecord['spec'] & TargetSpec };

export async function openRepair(
  command: Extract<Command, { kind: 'repair' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const id = command.requestId;
  const view = await deps.engine.read(id);
  // Out of their sight, a request is answered as if there were none.
  if (!view || !maySeeRequest(deps.policy, personId, { ...view.request, context: view.context }))
    return turn.reply(t.noSuchRequest({ id }), { kind: 'error' });
  const { request } = view;
  const approvers = deps.policy.approversFor(request.clusterId, request.namespace);
  if (request.requester !== personId && !approvers.includes(personId)) {
    await deps.engine.recordAudit([turn.decision(id, 'repair', 'refused:not_involved')]);
    return turn.reply(t.notInvolved({ id }), { kind: 'error', requestId: id, state: view.state });
  }
  if (request.workflow !== 'grant')
    return turn.reply(t.repairNotAGrant({ id, workflow: request.workflow }), {
      kind: 'error',
      requestId: id,
      state: view.state,
    });
  const grant = view.context as GrantRecord;
  if (!inForce.includes(view.state) || approvedState(grant) === null)
    return turn.reply(t.repairNotInForce({ id, state: view.state }), {
      kind: 'error',
      requestId: id,
      state: view.state,
    });
  const { spec, outputs } = grant;
  // A revoke of its policy opened after it took the access away: the grant no longer owns it.
  const revokes = await deps.store.listRequests({
    workflow: 'revoke',
    clusterId: request.clusterId,
    namespace: request.namespace,
  });
  if (
    revokes.some(
      (r) =>
        (r.spec as Partial<TargetSpec>).policyName === spec.policyName && r.createdAt > request.createdAt,
    )
  )
    return turn.reply(t.repairNotInForce({ id, state: 'revoked' }), {
      kind: 'error',
      requestId: id,
      state: view.state,
    });
  // One open repair per grant: the one open already is decided first (asked again, it answers that).
  const open = await openRepairOf(deps.store, request, id);
  if (open) return alreadyOpen(turn, deps, id, open);
  // Read now, as a grant's auto-approval is: the rule as it stood when the repair was asked.
  const autoApprove = deps.policy.autoApprovesRepairs(request.clusterId, request.namespace);
  const opened = await openRequest(turn, deps, {
    workflow: 'repair',
    clusterId: request.clusterId,
    namespace: request.namespace,
    auditAction: 'repair',
    auditDetails: { grantRequestId: id, ...(autoApprove ? { autoApprovable: true } : {}) },
    inputFor: (requestId): RepairInput => ({
      spec: {
        requestId,
        requester: personId,
        clusterId: spec.clusterId,
        namespace: spec.namespace,
        target: spec.target,
        podSelector: spec.podSelector,
        podGroupName: spec.podGroupName,
        ...(spec.groups ? { groups: spec.groups } : {}),
        policyName: spec.policyName,
        grantRequestId: id,
        approval: {
          spec: {
            requestId: spec.requestId,
            namespace: spec.namespace,
            target: spec.target,
            podSelector: spec.podSelector,
            policyName: spec.policyName,
            ...(spec.groups ? { groups: spec.groups } : {}),
            egress: spec.egress,
            ...(spec.extraIngress ? { extraIngress: spec.extraIngress } : {}),
            ...(spec.targetGroups ? { targetGroups: spec.targetGroups } : {}),
          },
          outputs: {
            ...(outputs.planning ? { planning: { clusterGroupId: outputs.planning.clusterGroupId } } : {}),
            ...(outputs.ensurePodSecurityGroup
              ? {
                  ensurePodSecurityGroup: {
                    podGroupId: outputs.ensurePodSecurityGroup.podGroupId,
                    ...(outputs.ensurePodSecurityGroup.groupIds
                      ? { groupIds: outputs.ensurePodSecurityGroup.groupIds }
                      : {}),
                  },
                }
              : {}),
            ...(outputs.applyPolicy ? { applyPolicy: { policyName: outputs.applyPolicy.policyName } } : {}),
          },
        },
      },
      quorum: deps.policy.quorumFor(request.clusterId, request.namespace),
      approvalTimeoutMs: deps.settings.approvalTimeoutMs,
      requestedAt: turn.at,
      autoApprove,
    }),
    // The same check under the grant's row lock: of two lines (or replicas) racing, the second
    // waits for the first to commit, sees its repair, and opens nothing.
    async check(tx, repairId) {
      await tx.lockRequest(id);
      const racing = await openRepairOf(tx, request, id, repairId);
      if (racing)
        throw new AppError('ALREADY_OPEN', `Grant ${id} already has an open repair, ${racing.id}.`, {
          details: { requestId: racing.id, state: racing.state },
        });
    },
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'ALREADY_OPEN') return null;
    throw error;
  });
  if (!opened) {
    const racing = await openRepairOf(deps.store, request, id);
    if (racing) return alreadyOpen(turn, deps, id, racing);
    throw new AppError('STATE_CONFLICT', `A repair of ${id} was open a moment ago and is no longer.`);
  }
  return turn.reply(
    t.requestOpened({
      id: opened.requestId,
      what: describeRequest('repair', opened.context as never, turn.locale),
    }),
    { requestId: opened.requestId, state: opened.state },
  );
}

/** The states a repair is still open in: planning, waiting for approval, or at work. */
const openStates = Object.keys(repairMachine.config.states ?? {}).filter((state) =>
  ['waiting', 'working'].includes(phaseOf({ phases: repairPhases }, state)),
);

/** A request row as the store lists it: what these checks read. */
interface RequestRow {
  id: string;
  state: string;
  spec: Record<string, unknown>;
}

/** The store, or a transaction of it: whichever lists requests. */
interface RequestLister {
  listRequests(filter: {
    workflow: string;
    clusterId: string;
    namespace: string;
    states: string[];
  }): Promise<RequestRow[]>;
}

/** The open repair of grant `grantId`, other than `except`; null when there is none. */
async function openRepairOf(
  store: RequestLister,
  grant: { clusterId: string; namespace: string },
  grantId: string,
  except?: string,
): Promise<RequestRow | null> {
  const repairs = await store.listRequests({
    workflow: 'repair',
    clusterId: grant.clusterId,
    namespace: grant.namespace,
    states: openStates,
  });
  return (
    repairs.find((r) => r.id !== except && (r.spec as Partial<RepairSpec>).grantRequestId === grantId) ?? null
  );
}

/** Tells who asked which repair is open and what to do about it, and audits the refusal. */
async function alreadyOpen(turn: ChatTurn, deps: ChatDeps, grantId: string, open: RequestRow) {
  await deps.engine.recordAudit([
    turn.decision(grantId, 'repair', 'refused:already_open', { repairRequestId: open.id }),
  ]);
  return turn.reply(
    turn.t.repairAlreadyOpen({
      id: grantId,
      repairId: open.id,
      state: open.state,
      waiting: phaseOf({ phases: repairPhases }, open.state) === 'waiting',
    }),
    { kind: 'error', requestId: open.id, state: open.state },
  );
}
