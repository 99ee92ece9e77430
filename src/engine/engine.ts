/**
 * The engine: load snapshot → pure transition → save snapshot + outbox in ONE transaction →
 * dispatch the outbox to BullMQ. Every event of a request is serialised by the request's row lock.
 */
import { initialTransition, transition } from 'xstate';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { AuditEntry, RequestRow, Store, StoreTx } from '../store/store.ts';
import type { WorkflowDefinition } from '../ports/workflow-definition.ts';
import type { CarryOffer, OutboxDispatcher } from './outbox-dispatcher.ts';
import type { CarriedStep } from './carried-steps.ts';
import { outboxKey } from './job-ids.ts';

const genericEffects = ['runStep', 'notify', 'scheduleTimer', 'cancelTimer'];

export type NewRequest = Omit<RequestRow, 'createdAt' | 'updatedAt' | 'state'>;

export interface Transitioned {
  requestId: string;
  state: string;
  changed: boolean;
  context: unknown;
  /** The step due now that the caller offered to carry (see src/engine/carried-steps.ts), if any. */
  carried?: CarriedStep;
}

export interface RequestView {
  request: RequestRow;
  state: string;
  context: unknown;
  machineVersion: number;
}

export interface Engine {
  open(request: NewRequest, input: unknown, record?: (tx: StoreTx) => Promise<void>): Promise<Transitioned>;
  deliver(
    requestId: string,
    event: { type: string; [key: string]: unknown },
    /**
     * Writes what the event's sender did, in the event's transaction, once the machine has answered:
     * `outcome.changed` says whether the event moved the request (a late or repeated one does not).
     */
    record?: (tx: StoreTx, current: RequestView, outcome: Transitioned) => Promise<void>,
    /** A step job offering to run the request's next step itself, when one is due now. */
    carry?: CarryOffer,
  ): Promise<Transitioned>;
  read(requestId: string): Promise<RequestView | null>;
  /** Audit rows that change no workflow (e.g. a refused approval). */
  recordAudit(entries: AuditEntry[]): Promise<void>;
}

/** A request that entered a state (`from` is null when it was just opened), told once it is committed. */
export interface StateChange {
  requestId: string;
  workflow: string;
  from: string | null;
  to: string;
}

export interface EngineDeps {
  store: Store;
  workflows: Record<string, WorkflowDefinition>;
  dispatcher: OutboxDispatcher;
  logger: Logger;
  /** Sees every committed change of state (not a change of context alone), e.g. to count it. */
  onStateChange?: (change: StateChange) => void;
}

export function createEngine({ store, workflows, dispatcher, logger, onStateChange }: EngineDeps): Engine {
  const definitionOf = (name: string): WorkflowDefinition => {
    const def = workflows[name];
    if (!def) throw new AppError('INTERNAL', `No workflow named ${name} is registered.`);
    return def;
  };

  const restore = (def: WorkflowDefinition, requestId: string, machineVersion: number, saved: unknown) => {
    // An older snapshot is migrated when the definition knows how; a newer one is never guessed at.
    const json =
      machineVersion === def.version
        ? saved
        : machineVersion < def.version
          ? def.migrate?.(machineVersion, saved)
          : undefined;
    if (json === undefined) {
      throw new AppError(
        'SNAPSHOT_VERSION',
        `Request ${requestId} was saved by ${def.name} machine v${machineVersion}; this build runs v${def.version}.`,
        { hint: 'Run the matching sgops version to finish it, or ship a snapshot migration.' },
      );
    }
    return def.machine.resolveState(json as Parameters<typeof def.machine.resolveState>[0]);
  };

  // The effects every workflow has, and the ones its own definition handles; other actions are the machine's.
  const effectsOf = (def: WorkflowDefinition, actions: readonly { type: string; params?: unknown }[]) =>
    actions
      .filter((a) => genericEffects.includes(a.type) || Object.hasOwn(def.effects ?? {}, a.type))
      .map((a) => ({ ...(a.params as Record<string, unknown>), type: a.type }));

  const stateOf = (snapshot: { value: unknown }) => String(snapshot.value);

  return {
    async open(request, input, record) {
      const def = definitionOf(request.workflow);
      const [snapshot, actions] = initialTransition(def.machine, input);
      const state = stateOf(snapshot);
      const rows = await store.transaction(async (tx) => {
        await tx.insertRequest({ ...request, state });
        await record?.(tx);
        const revision = await tx.saveSnapshot(
          {
            requestId: request.id,
            machine: def.name,
            machineVersion: def.version,
            snapshot: def.machine.getPersistedSnapshot(snapshot),
            expectedRevision: null,
          },
          state,
        );
        return tx.insertOutbox(
          effectsOf(def, actions).map((effect, i) => ({
            requestId: request.id,
            key: outboxKey(request.id, revision, i),
            effect: { ...effect, requestId: request.id },
          })),
        );
      });
      logger.info({ requestId: request.id, state }, 'request opened');
      onStateChange?.({ requestId: request.id, workflow: request.workflow, from: null, to: state });
      await dispatcher.dispatch(rows);
      return { requestId: request.id, state, changed: true, context: snapshot.context };
    },

    async deliver(requestId, event, record, carry) {
      const result = await store.transaction(async (tx) => {
        const locked = await tx.lockRequest(requestId);
        if (!locked || !locked.snapshot)
          throw new AppError('REQUEST_NOT_FOUND', `There is no request ${requestId}.`);
        const def = definitionOf(locked.snapshot.machine);
        const current = restore(def, requestId, locked.snapshot.machineVersion, locked.snapshot.snapshot);
        const view: RequestView = {
          request: locked.request,
          state: stateOf(current),
          context: current.context,
          machineVersion: locked.snapshot.machineVersion,
        };
        const [next, actions] = transition(def.machine, current, event);
        if (next === current) {
          const unchanged = { requestId, state: view.state, changed: false, context: view.context };
          await record?.(tx, view, unchanged);
          return { rows: [], from: view.state, workflow: locked.request.workflow, transitioned: unchanged };
        }
        const state = stateOf(next);
        await record?.(tx, view, { requestId, state, changed: true, context: next.context });
        const revision = await tx.saveSnapshot(
          {
            requestId,
            machine: def.name,
            machineVersion: def.version,
            snapshot: def.machine.getPersistedSnapshot(next),
            expectedRevision: locked.snapshot.revision,
          },
          state,
        );
        const rows = await tx.insertOutbox(
          effectsOf(def, actions).map((effect, i) => ({
            requestId,
            key: outboxKey(requestId, revision, i),
            effect: { ...effect, requestId },
          })),
        );
        return {
          rows,
          from: view.state,
          workflow: locked.request.workflow,
          transitioned: { requestId, state, changed: true, context: next.context },
        };
      });
      if (result.transitioned.changed) {
        logger.info({ requestId, event: event.type, state: result.transitioned.state }, 'request moved');
      }
      if (result.from !== result.transitioned.state)
        onStateChange?.({
          requestId,
          workflow: result.workflow,
          from: result.from,
          to: result.transitioned.state,
        });
      const carried = await dispatcher.dispatch(result.rows, carry);
      return carried ? { ...result.transitioned, carried } : result.transitioned;
    },

    async recordAudit(entries) {
      await store.appendAudit(entries);
    },

    async read(requestId) {
      const found = await store.readRequest(requestId);
      if (!found?.snapshot) return null;
      const { request, snapshot } = found;
      const def = definitionOf(snapshot.machine);
      const current = restore(def, requestId, snapshot.machineVersion, snapshot.snapshot);
      return {
        request,
        state: stateOf(current),
        context: current.context,
        machineVersion: snapshot.machineVersion,
      };
    },
  };
}
