import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { pino } from 'pino';
import { createEngine } from '../../../src/engine/engine.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import type { OutboxDispatcher } from '../../../src/engine/outbox-dispatcher.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { OutboxRow, Store } from '../../../src/store/store.ts';
import { grantMachine, grantMachineVersion } from '../../../workflows/grant/machine.ts';
import { migrateGrantSnapshot } from '../../../workflows/grant/migrate.ts';
import type { GrantContext } from '../../../workflows/grant/types.ts';
import { grantInput } from '../../helpers/machine-fixtures.ts';

/** A grant snapshot as machine v1 saved it: awaiting approval, without v2's context fields. */
function v1Snapshot(): Record<string, unknown> {
  const [start] = initialTransition(grantMachine, grantInput('RVAAA', {}, { egress: [] }));
  const persisted = JSON.parse(JSON.stringify(grantMachine.getPersistedSnapshot(start))) as {
    context: Record<string, unknown>;
  };
  for (const field of [
    'approvalReminderMs',
    'remindersSent',
    'awaitingSince',
    'expiryWarningMs',
    'activeSince',
    'expiresAt',
    'expiryWarned',
    'revocation',
  ])
    delete persisted.context[field];
  return {
    ...persisted,
    value: 'awaitingApproval',
    context: { ...persisted.context, attempts: { planning: 1 } },
  };
}

describe('grant snapshots of machine v1', () => {
  let store: Store;
  let engine: Engine;
  const dispatched: OutboxRow[] = [];

  async function save(id: string, machineVersion: number, snapshot: unknown) {
    await store.transaction(async (tx) => {
      await tx.insertRequest({
        id,
        workflow: 'grant',
        requester: 'alice',
        clusterId: 'cls-sandbox1',
        namespace: 'my-namespace',
        spec: {},
        origin: { platform: 'console', conversationId: 'alice' },
        state: 'awaitingApproval',
      });
      await tx.saveSnapshot(
        { requestId: id, machine: 'grant', machineVersion, snapshot, expectedRevision: null },
        'awaitingApproval',
      );
    });
  }

  beforeAll(async () => {
    store = await createStore({ kind: 'pglite', auditKey: 'unit-test-audit-key-0123456789' });
    // Records what the engine hands on, as the real dispatcher would enqueue it.
    const dispatcher: OutboxDispatcher = {
      dispatch: async (rows) => void dispatched.push(...rows),
      sweep: async () => 0,
      enqueue: async () => {},
      settle: async () => {},
    };
    engine = createEngine({
      store,
      workflows: {
        grant: {
          name: 'grant',
          machine: grantMachine,
          version: grantMachineVersion,
          migrate: migrateGrantSnapshot,
        },
      },
      dispatcher,
      logger: pino({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  it('is what this build runs: machine v2', () => {
    expect(grantMachineVersion).toBe(2);
  });

  it('migrates a v1 snapshot by adding the v2 fields with values that change nothing', () => {
    const v1 = v1Snapshot();
    const v2 = migrateGrantSnapshot(1, v1) as { value: string; context: GrantContext };
    expect(v2.value).toBe('awaitingApproval');
    expect(v2.context).toMatchObject({
      approvalReminderMs: 0,
      remindersSent: 0,
      awaitingSince: null,
      expiresAt: null,
      expiryWarned: false,
      revocation: null,
    });
    expect(v2.context.spec).toEqual((v1.context as GrantContext).spec);
    expect(migrateGrantSnapshot(3, v1)).toBeUndefined();
    expect(migrateGrantSnapshot(1, null)).toBeUndefined();
  });

  it('loads a v1 request, and its next event saves it as v2', async () => {
    await save('RVAAA', 1, v1Snapshot());
    const view = await engine.read('RVAAA');
    expect(view?.state).toBe('awaitingApproval');
    expect(view?.machineVersion).toBe(1);
    expect((view?.context as GrantContext).remindersSent).toBe(0);

    const moved = await engine.deliver('RVAAA', {
      type: 'approve',
      by: 'bob',
      at: '2026-03-01T10:00:00.000Z',
    });
    expect(moved.state).toBe('ensurePodSecurityGroup');
    expect((await store.readRequest('RVAAA'))?.snapshot?.machineVersion).toBe(2);
    expect(dispatched.map((r) => r.effect.type)).toEqual(
      expect.arrayContaining(['cancelTimer', 'notify', 'runStep']),
    );
  });

  it('still refuses, with SNAPSHOT_VERSION, a snapshot of a version it does not know', async () => {
    await save('RVBBB', 3, v1Snapshot());
    await expect(engine.read('RVBBB')).rejects.toMatchObject({
      code: 'SNAPSHOT_VERSION',
      message: 'Request RVBBB was saved by grant machine v3; this build runs v2.',
    });
    await expect(
      engine.deliver('RVBBB', { type: 'cancel', by: 'alice', at: '2026-03-01T10:00:00.000Z' }),
    ).rejects.toMatchObject({
      code: 'SNAPSHOT_VERSION',
    });
  });
});
