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

describe('grant snapshots of machines v1 and v2', () => {
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

  it('is what this build runs: machine v3', () => {
    expect(grantMachineVersion).toBe(3);
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
    expect((v2.context as GrantContext).drift).toBeNull();
    expect(migrateGrantSnapshot(4, v1)).toBeUndefined();
    expect(migrateGrantSnapshot(1, null)).toBeUndefined();
  });

  it('loads a v1 request, and its next event saves it as v3', async () => {
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
    expect((await store.readRequest('RVAAA'))?.snapshot?.machineVersion).toBe(3);
    expect(dispatched.map((r) => r.effect.type)).toEqual(
      expect.arrayContaining(['cancelTimer', 'notify', 'runStep']),
    );
  });

  it('opens a v2 grant resting in done, finished then, to the drift watch: its report is told once', async () => {
    const [start] = initialTransition(grantMachine, grantInput('RVDDD', {}, { egress: [] }));
    const persisted = JSON.parse(JSON.stringify(grantMachine.getPersistedSnapshot(start))) as {
      context: Record<string, unknown>;
    };
    delete persisted.context['drift'];
    await save('RVDDD', 2, { ...persisted, value: 'done', status: 'done' });
    expect((await engine.read('RVDDD'))?.state).toBe('done');

    const report = {
      type: 'drift' as const,
      fingerprint: 'f1',
      notes: [{ key: 'ruleMissing', said: { en: 'a DNS rule is missing', zh: '缺少一条 DNS 规则' } }],
      at: '2026-03-02T10:00:00.000Z',
    };
    dispatched.length = 0;
    const found = await engine.deliver('RVDDD', report);
    expect(found.state).toBe('done');
    expect(found.changed).toBe(true);
    expect(dispatched.map((r) => r.effect)).toEqual([
      expect.objectContaining({ type: 'notify', template: 'driftFound', audience: 'everyone' }),
    ]);
    expect((await store.readRequest('RVDDD'))?.snapshot?.machineVersion).toBe(3);
    // The same finding again changes nothing and tells nobody.
    const again = await engine.deliver('RVDDD', { ...report, at: '2026-03-02T10:05:00.000Z' });
    expect(again.changed).toBe(false);
    expect(dispatched).toHaveLength(1);
  });

  it('still refuses, with SNAPSHOT_VERSION, a snapshot of a version it does not know', async () => {
    await save('RVBBB', 4, v1Snapshot());
    await expect(engine.read('RVBBB')).rejects.toMatchObject({
      code: 'SNAPSHOT_VERSION',
      message: 'Request RVBBB was saved by grant machine v4; this build runs v3.',
    });
    await expect(
      engine.deliver('RVBBB', { type: 'cancel', by: 'alice', at: '2026-03-01T10:00:00.000Z' }),
    ).rejects.toMatchObject({
      code: 'SNAPSHOT_VERSION',
    });
  });
});
