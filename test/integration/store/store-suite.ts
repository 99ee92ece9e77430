/**
 * The Store's behaviour, run against every driver (pg and PGlite) by the *.test.ts files here.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeInterruptedCalls } from '../../../src/audit/close-interrupted-calls.ts';
import { verifyAuditChain } from '../../../src/audit/verify-audit-chain.ts';
import { AppError } from '../../../src/errors.ts';
import type { AuditEntry, RequestRow, Store } from '../../../src/store/store.ts';

export const suiteAuditKey = 'store-suite-audit-key-0123456789abcdef';

export interface StoreHarness {
  store: Store;
  /** Another handle on the same database, as a second process would have (null when impossible). */
  openSecond: (() => Promise<Store>) | null;
  cleanup(): Promise<void>;
}

export function newRequestId(): string {
  return `R${randomBytes(4).toString('hex').toUpperCase()}`;
}

export function requestRow(
  id: string,
  overrides: Partial<RequestRow> = {},
): Omit<RequestRow, 'createdAt' | 'updatedAt'> {
  return {
    id,
    workflow: 'grant',
    requester: 'alice',
    clusterId: 'cls-sandbox1',
    namespace: 'shop',
    spec: { app: 'cart', egress: ['0.0.0.0/0'] },
    origin: { platform: 'slack', conversationId: 'C1', threadId: '171.1' },
    state: 'planning',
    ...overrides,
  };
}

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId: null,
    actor: 'worker',
    kind: 'intent',
    system: 'tencentcloud',
    action: 'CreateSecurityGroup',
    target: 'sgops-shop-cart',
    outcome: null,
    durationMs: null,
    cloudRequestId: null,
    details: { step: 'ensurePodSecurityGroup' },
    callId: 'call-1',
    ...overrides,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'resolved';
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export function describeStoreSuite(driver: string, open: () => Promise<StoreHarness>): void {
  describe(`the store over ${driver}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeAll(async () => {
      harness = await open();
      store = harness.store;
    });
    afterAll(async () => {
      await harness?.cleanup();
    });

    it('inserts a request and reads it back with its JSON and dates intact', async () => {
      const id = newRequestId();
      await store.transaction((tx) => tx.insertRequest(requestRow(id)));
      const row = await store.getRequest(id);
      expect(row).toMatchObject(requestRow(id));
      expect(row?.createdAt).toBeInstanceOf(Date);
      expect(row?.updatedAt).toBeInstanceOf(Date);
      expect(await store.getRequest('NOPE')).toBeNull();
    });

    it('refuses a second request with the same id as a state conflict', async () => {
      const id = newRequestId();
      await store.transaction((tx) => tx.insertRequest(requestRow(id)));
      expect(await codeOf(store.transaction((tx) => tx.insertRequest(requestRow(id))))).toBe(
        'STATE_CONFLICT',
      );
    });

    it('locks a request, saves snapshots by revision and rejects a stale revision', async () => {
      const id = newRequestId();
      await store.transaction((tx) => tx.insertRequest(requestRow(id)));

      const first = await store.transaction(async (tx) => {
        const locked = await tx.lockRequest(id);
        expect(locked?.request.id).toBe(id);
        expect(locked?.snapshot).toBeNull();
        return tx.saveSnapshot(
          {
            requestId: id,
            machine: 'grant',
            machineVersion: 3,
            snapshot: { value: 'awaitingApproval' },
            expectedRevision: null,
          },
          'awaitingApproval',
        );
      });
      expect(first).toBe(1);
      expect((await store.getRequest(id))?.state).toBe('awaitingApproval');

      const second = await store.transaction((tx) =>
        tx.saveSnapshot(
          {
            requestId: id,
            machine: 'grant',
            machineVersion: 3,
            snapshot: { value: 'allowDns' },
            expectedRevision: 1,
          },
          'allowDns',
        ),
      );
      expect(second).toBe(2);
      expect((await store.readRequest(id))?.snapshot).toEqual({
        requestId: id,
        machine: 'grant',
        machineVersion: 3,
        snapshot: { value: 'allowDns' },
        revision: 2,
      });

      const stale = (expectedRevision: number | null) =>
        codeOf(
          store.transaction((tx) =>
            tx.saveSnapshot(
              {
                requestId: id,
                machine: 'grant',
                machineVersion: 3,
                snapshot: { value: 'failed' },
                expectedRevision,
              },
              'failed',
            ),
          ),
        );
      expect(await stale(1)).toBe('STATE_CONFLICT');
      expect(await stale(null)).toBe('STATE_CONFLICT');
      // The conflicting transaction rolled back, state copy included.
      expect((await store.getRequest(id))?.state).toBe('allowDns');
      expect((await store.readRequest(id))?.snapshot?.revision).toBe(2);

      const locked = await store.transaction((tx) => tx.lockRequest(id));
      expect(locked?.snapshot?.revision).toBe(2);
      expect(await store.transaction((tx) => tx.lockRequest('NOPE'))).toBeNull();
    });

    it('reports a snapshot for an unknown request as not found', async () => {
      const code = await codeOf(
        store.transaction((tx) =>
          tx.saveSnapshot(
            { requestId: 'NOPE', machine: 'grant', machineVersion: 1, snapshot: {}, expectedRevision: null },
            'planning',
          ),
        ),
      );
      expect(code).toBe('REQUEST_NOT_FOUND');
    });

    it('rolls back everything a failed transaction wrote', async () => {
      const id = newRequestId();
      const auditBefore = (await store.listAudit()).length;
      await expect(
        store.transaction(async (tx) => {
          await tx.insertRequest(requestRow(id));
          await tx.insertOutbox([{ requestId: id, key: `${id}.planning.1`, effect: { type: 'runStep' } }]);
          await tx.appendAudit([auditEntry({ requestId: id })]);
          throw new AppError('INTERNAL', 'boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.getRequest(id)).toBeNull();
      expect((await store.listUndispatchedOutbox(1000)).filter((r) => r.requestId === id)).toEqual([]);
      expect((await store.listAudit()).length).toBe(auditBefore);
      // The next append continues from the committed head, not from the rows that were rolled back.
      await store.appendAudit([auditEntry({ requestId: id, callId: 'after-rollback' })]);
      const rows = await store.listAudit();
      expect(rows).toHaveLength(auditBefore + 1);
      expect(verifyAuditChain(rows, suiteAuditKey)).toEqual({ ok: true, count: rows.length });
    });

    it('records one approval per person and lists them', async () => {
      const id = newRequestId();
      await store.transaction((tx) => tx.insertRequest(requestRow(id)));
      const approval = {
        requestId: id,
        personId: 'bob',
        decision: 'approve' as const,
        comment: null,
        platform: 'slack',
        messageId: 'm1',
      };
      expect(await store.transaction((tx) => tx.insertApproval(approval))).toBe(true);
      expect(
        await store.transaction((tx) =>
          tx.insertApproval({ ...approval, decision: 'deny', messageId: 'm2' }),
        ),
      ).toBe(false);
      expect(
        await store.transaction((tx) =>
          tx.insertApproval({
            ...approval,
            personId: 'carol',
            comment: 'ok',
            platform: 'wecom',
            messageId: 'w1',
          }),
        ),
      ).toBe(true);
      const listed = await store.listApprovals(id);
      expect(listed.map((a) => [a.personId, a.decision, a.comment])).toEqual([
        ['bob', 'approve', null],
        ['carol', 'approve', 'ok'],
      ]);
      expect(listed[0]?.at).toBeInstanceOf(Date);
    });

    it('inserts outbox rows once per key and stops listing them once dispatched', async () => {
      const id = newRequestId();
      await store.transaction((tx) => tx.insertRequest(requestRow(id)));
      const first = await store.transaction((tx) =>
        tx.insertOutbox([
          { requestId: id, key: `${id}.allowDns.1`, effect: { type: 'runStep', step: 'allowDns' } },
          { requestId: id, key: `${id}.notify.1`, effect: { type: 'notify', text: 'started' } },
        ]),
      );
      expect(first.map((r) => r.key)).toEqual([`${id}.allowDns.1`, `${id}.notify.1`]);
      expect(typeof first[0]?.id).toBe('number');
      expect(first[0]?.createdAt).toBeInstanceOf(Date);
      expect(first[0]?.dispatchedAt).toBeNull();
      expect(first[0]?.effect).toEqual({ type: 'runStep', step: 'allowDns' });

      const again = await store.transaction((tx) =>
        tx.insertOutbox([
          { requestId: id, key: `${id}.allowDns.1`, effect: { type: 'runStep', step: 'changed' } },
          { requestId: id, key: `${id}.verify.1`, effect: { type: 'runStep', step: 'verify' } },
        ]),
      );
      expect(again.map((r) => r.key)).toEqual([`${id}.verify.1`]);
      expect(await store.transaction((tx) => tx.insertOutbox([]))).toEqual([]);

      const mine = async () => (await store.listUndispatchedOutbox(1000)).filter((r) => r.requestId === id);
      const pending = await mine();
      expect(pending.map((r) => r.key)).toEqual([`${id}.allowDns.1`, `${id}.notify.1`, `${id}.verify.1`]);
      expect(pending[0]?.effect).toEqual({ type: 'runStep', step: 'allowDns' });

      await store.markOutboxDispatched([first[0]!.id, first[1]!.id]);
      await store.markOutboxDispatched([]);
      expect((await mine()).map((r) => r.key)).toEqual([`${id}.verify.1`]);
    });

    it('reports approvals and outbox rows for an unknown request as not found', async () => {
      const approval = {
        requestId: 'NOPE',
        personId: 'bob',
        decision: 'approve' as const,
        comment: null,
        platform: 'slack',
        messageId: 'm',
      };
      expect(await codeOf(store.transaction((tx) => tx.insertApproval(approval)))).toBe('REQUEST_NOT_FOUND');
      expect(
        await codeOf(
          store.transaction((tx) => tx.insertOutbox([{ requestId: 'NOPE', key: 'NOPE.x.1', effect: {} }])),
        ),
      ).toBe('REQUEST_NOT_FOUND');
    });

    it('records a chat message once per platform and message id', async () => {
      const messageId = `msg-${newRequestId()}`;
      const message = {
        platform: 'slack',
        messageId,
        personId: 'U1',
        conversationId: 'C1',
        text: 'grant app cart',
      };
      expect(await store.recordChatMessages([message])).toEqual([true]);
      expect(await store.recordChatMessages([{ ...message, text: 'retried delivery' }])).toEqual([false]);
      expect(await store.recordChatMessages([{ ...message, platform: 'wecom' }])).toEqual([true]);
    });

    it('records a batch of chat messages in one go, each fresh only the first time it is seen', async () => {
      const id = (n: number) => `batch-${n}-${newRequestId()}`;
      const [a, b, c] = [id(1), id(2), id(3)];
      const line = (messageId: string, text = 'help') => ({
        platform: 'slack',
        messageId,
        personId: 'U1',
        conversationId: 'C1',
        text,
      });
      expect(await store.recordChatMessages([line(a)])).toEqual([true]);
      // Seen before, new, the same new one again within the batch, another new one.
      expect(await store.recordChatMessages([line(a), line(b), line(b, 'retry'), line(c)])).toEqual([
        false,
        true,
        false,
        true,
      ]);
    });

    it('lists unhandled chat lines received before a time, oldest first, with their thread', async () => {
      const ids = [1, 2, 3].map((n) => `unhandled-${n}-${newRequestId()}`);
      const before = new Date(Date.now() - 1000);
      for (const [i, messageId] of ids.entries()) {
        await store.recordChatMessages([
          {
            platform: 'slack',
            messageId,
            personId: 'U1',
            conversationId: 'C1',
            ...(i === 0 ? { threadId: '171.5' } : {}),
            text: `line ${i}`,
          },
        ]);
        await new Promise((r) => setTimeout(r, 5));
      }
      const ours = <R extends { messageId: string }>(rows: R[]) =>
        rows.filter((r) => ids.includes(r.messageId));
      const later = new Date(Date.now() + 1000);
      const listed = ours(await store.listUnhandledChatMessages({ receivedBefore: later, limit: 10_000 }));
      expect(listed.map((r) => r.messageId)).toEqual(ids);
      expect(listed[0]).toMatchObject({ threadId: '171.5', personId: 'U1', text: 'line 0', handledAt: null });
      expect(listed[1]!.threadId).toBeNull();
      // Lines that arrived after the given time are still on their way: not listed.
      expect(ours(await store.listUnhandledChatMessages({ receivedBefore: before, limit: 10_000 }))).toEqual(
        [],
      );

      expect(await store.markChatMessagesHandled([{ platform: 'slack', messageId: ids[1]! }])).toEqual([
        true,
      ]);
      expect(
        ours(await store.listUnhandledChatMessages({ receivedBefore: later, limit: 10_000 })).map(
          (r) => r.messageId,
        ),
      ).toEqual([ids[0], ids[2]]);
    });

    it('marks a chat line handled once: another mark of it, or of an unknown line, hears false', async () => {
      const messageId = `mark-${newRequestId()}`;
      const other = `mark-other-${newRequestId()}`;
      const line = { platform: 'wecom', messageId, personId: 'U1', conversationId: 'C1', text: 'help' };
      await store.recordChatMessages([line, { ...line, messageId: other }]);
      const key = { platform: 'wecom', messageId };
      // Two replicas marking the same line at once: one of them marked it.
      const [first, second] = await Promise.all([
        store.markChatMessagesHandled([key]),
        store.markChatMessagesHandled([key, { platform: 'wecom', messageId: other }]),
      ]);
      expect([first![0], second![0]].sort()).toEqual([false, true]);
      expect(second![1]).toBe(true);
      expect(await store.markChatMessagesHandled([key, { platform: 'slack', messageId }])).toEqual([
        false,
        false,
      ]);
      expect(await store.markChatMessagesHandled([])).toEqual([]);
      const later = new Date(Date.now() + 1000);
      const unhandled = await store.listUnhandledChatMessages({ receivedBefore: later, limit: 10_000 });
      expect(unhandled.filter((r) => r.messageId === messageId || r.messageId === other)).toEqual([]);
    });

    it('lists requests by state and requester, newest first', async () => {
      const requester = `req-${newRequestId()}`;
      const ids = [newRequestId(), newRequestId(), newRequestId()];
      for (const [i, id] of ids.entries()) {
        await store.transaction((tx) =>
          tx.insertRequest(requestRow(id, { requester, state: i === 1 ? 'done' : 'planning' })),
        );
        await new Promise((r) => setTimeout(r, 5));
      }
      expect((await store.listRequests({ requester })).map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect((await store.listRequests({ requester, states: ['done'] })).map((r) => r.id)).toEqual([ids[1]]);
      expect((await store.listRequests({ requester, limit: 1 })).map((r) => r.id)).toEqual([ids[2]]);
      expect(await store.listRequests({ requester, states: [] })).toEqual([]);
    });

    it('pages through requests newest first, losing none and repeating none, even those made in the same millisecond', async () => {
      const requester = `req-${newRequestId()}`;
      // Inserted back to back, so several share a created_at and only the id orders them.
      for (let i = 0; i < 7; i += 1)
        await store.transaction((tx) => tx.insertRequest(requestRow(newRequestId(), { requester })));
      const whole = (await store.listRequests({ requester })).map((r) => r.id);
      const paged: string[] = [];
      let before: { createdAt: Date; id: string } | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await store.listRequests({ requester, limit: 2, ...(before ? { before } : {}) });
        paged.push(...page.map((r) => r.id));
        if (page.length < 2) break;
        before = { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id };
      }
      expect(whole).toHaveLength(7);
      expect(paged).toEqual(whole);
    });

    it('lists requests by workflow, cluster and namespace, each narrowing the list', async () => {
      const requester = `req-${newRequestId()}`;
      const rows = [
        { id: newRequestId(), workflow: 'grant', clusterId: 'cls-aaaaaaaa', namespace: 'shop' },
        { id: newRequestId(), workflow: 'revoke', clusterId: 'cls-aaaaaaaa', namespace: 'shop' },
        { id: newRequestId(), workflow: 'grant', clusterId: 'cls-bbbbbbbb', namespace: 'shop' },
        { id: newRequestId(), workflow: 'grant', clusterId: 'cls-aaaaaaaa', namespace: 'billing' },
      ];
      for (const row of rows)
        await store.transaction((tx) => tx.insertRequest(requestRow(row.id, { requester, ...row })));
      const ids = async (filter: Parameters<typeof store.listRequests>[0]) =>
        (await store.listRequests({ requester, ...filter })).map((r) => r.id).sort();
      expect(await ids({ workflow: 'grant' })).toEqual([rows[0]!.id, rows[2]!.id, rows[3]!.id].sort());
      expect(await ids({ clusterId: 'cls-aaaaaaaa', namespace: 'shop' })).toEqual(
        [rows[0]!.id, rows[1]!.id].sort(),
      );
      expect(await ids({ workflow: 'grant', clusterId: 'cls-aaaaaaaa', namespace: 'shop' })).toEqual([
        rows[0]!.id,
      ]);
    });

    it('makes a second transaction on the same request wait for the first one’s lock', async () => {
      const id = newRequestId();
      await store.transaction((tx) => tx.insertRequest(requestRow(id)));
      const events: string[] = [];
      const firstLocked = deferred();
      const releaseFirst = deferred();

      const first = store.transaction(async (tx) => {
        await tx.lockRequest(id);
        events.push('first locked');
        firstLocked.resolve();
        await releaseFirst.promise;
        await tx.saveSnapshot(
          {
            requestId: id,
            machine: 'grant',
            machineVersion: 1,
            snapshot: { by: 'first' },
            expectedRevision: null,
          },
          'awaitingApproval',
        );
        events.push('first commits');
      });
      await firstLocked.promise;
      const second = store.transaction(async (tx) => {
        const locked = await tx.lockRequest(id);
        events.push('second locked');
        return locked;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(events).toEqual(['first locked']);
      releaseFirst.resolve();
      const [, seen] = await Promise.all([first, second]);
      expect(events).toEqual(['first locked', 'first commits', 'second locked']);
      // The waiter read what the first one committed.
      expect(seen?.request.state).toBe('awaitingApproval');
      expect(seen?.snapshot?.revision).toBe(1);
    });

    it('appends audit rows from 20 concurrent callers into one valid chain', async () => {
      const before = await store.listAudit();
      const callers = Array.from({ length: 20 }, (_, i) =>
        store.appendAudit([
          auditEntry({
            callId: `c${i}`,
            details: { caller: i, at: new Date(0), nested: { b: 1, a: [1, 'x'] } },
          }),
          auditEntry({
            callId: `c${i}`,
            kind: 'outcome',
            outcome: 'ok',
            durationMs: 12.6,
            cloudRequestId: `req-${i}`,
          }),
        ]),
      );
      const appended = (await Promise.all(callers)).flat();
      expect(appended).toHaveLength(40);
      const rows = await store.listAudit();
      expect(rows).toHaveLength(before.length + 40);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(verifyAuditChain(rows, suiteAuditKey)).toEqual({ ok: true, count: rows.length });
      expect(verifyAuditChain(rows, 'another-key')).toMatchObject({ ok: false, seq: 1 });
      // What appendAudit returned is exactly what was stored.
      const bySeq = new Map(rows.map((r) => [r.seq, r]));
      for (const row of appended) expect(bySeq.get(row.seq)).toEqual(row);
      expect(rows.at(-1)?.durationMs).toBe(13);
      expect(await store.appendAudit([])).toEqual([]);
    });

    it('filters and pages the audit log', async () => {
      const id = newRequestId();
      await store.appendAudit([
        auditEntry({ requestId: id }),
        auditEntry({ requestId: id, kind: 'outcome', outcome: 'ok' }),
      ]);
      const rows = await store.listAudit({ requestId: id });
      expect(rows.map((r) => r.kind)).toEqual(['intent', 'outcome']);
      const after = await store.listAudit({ afterSeq: rows[0]!.seq, limit: 1 });
      expect(after.map((r) => r.seq)).toEqual([rows[0]!.seq + 1]);
      expect(rows[0]?.at).toBeInstanceOf(Date);
    });

    it('closes, as INTERRUPTED, only the intents of this step that have no outcome', async () => {
      const id = newRequestId();
      const call = (
        callId: string,
        kind: 'intent' | 'outcome',
        step: string,
        outcome: string | null = null,
      ) => auditEntry({ requestId: id, callId, kind, outcome, details: { step } });
      await store.appendAudit([
        call('a', 'intent', 'ensurePodSecurityGroup'),
        call('a', 'outcome', 'ensurePodSecurityGroup', 'ok'),
        call('b', 'intent', 'ensurePodSecurityGroup'),
        call('c', 'intent', 'allowDns'),
        auditEntry({ requestId: newRequestId(), callId: 'b', kind: 'outcome', outcome: 'ok' }),
      ]);
      expect((await store.listOpenIntents(id, 'ensurePodSecurityGroup')).map((r) => r.callId)).toEqual(['b']);

      expect(await closeInterruptedCalls(store, id, 'ensurePodSecurityGroup')).toBe(1);
      const closed = (await store.listAudit({ requestId: id })).filter((r) => r.outcome === 'INTERRUPTED');
      expect(closed.map((r) => [r.callId, r.kind, r.action, r.target])).toEqual([
        ['b', 'outcome', 'CreateSecurityGroup', 'sgops-shop-cart'],
      ]);
      expect(await closeInterruptedCalls(store, id, 'ensurePodSecurityGroup')).toBe(0);
      expect((await store.listOpenIntents(id, 'allowDns')).map((r) => r.callId)).toEqual(['c']);
    });

    it('keeps one chain when two store instances append at the same time', async ({ skip }) => {
      if (harness.openSecond === null) skip();
      const other = await harness.openSecond!();
      try {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? store : other).appendAudit([
              auditEntry({ callId: `p${i}` }),
              auditEntry({ callId: `p${i}` }),
            ]),
          ),
        );
        // Taking turns one by one: each store's last-seen head is always stale, and still no row is lost.
        for (let i = 0; i < 6; i++) {
          await (i % 2 === 0 ? store : other).appendAudit([auditEntry({ callId: `turn${i}` })]);
        }
        const rows = await other.listAudit();
        expect(rows.filter((r) => r.callId?.startsWith('turn'))).toHaveLength(6);
        expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
        expect(verifyAuditChain(rows, suiteAuditKey)).toEqual({ ok: true, count: rows.length });
      } finally {
        await other.close();
      }
    });
  });
}
