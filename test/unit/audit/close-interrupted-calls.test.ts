import { describe, expect, it } from 'vitest';
import { closeInterruptedCalls } from '../../../src/audit/close-interrupted-calls.ts';
import type { AuditEntry, AuditRow } from '../../../src/store/store.ts';

function fakeStore(entries: AuditEntry[]) {
  const rows: AuditRow[] = entries.map((e, i) => ({
    ...e,
    seq: i + 1,
    at: new Date(0),
    prevHash: '',
    hash: '',
  }));
  return {
    rows,
    async listAudit(filter: { requestId?: string } = {}) {
      return rows.filter((r) => filter.requestId === undefined || r.requestId === filter.requestId);
    },
    async appendAudit(more: AuditEntry[]) {
      const added = more.map((e, i) => ({
        ...e,
        seq: rows.length + i + 1,
        at: new Date(0),
        prevHash: '',
        hash: '',
      }));
      rows.push(...added);
      return added;
    },
  };
}

const call = (
  callId: string,
  kind: 'intent' | 'outcome',
  step: string,
  outcome: string | null = null,
): AuditEntry => ({
  requestId: 'R7K2',
  actor: 'sgops',
  kind,
  system: 'tencentcloud',
  action: 'CreateSecurityGroup',
  target: 'sgops-my-namespace-my-app',
  outcome,
  durationMs: null,
  cloudRequestId: null,
  details: { step },
  callId,
});

describe('closing calls a stopped process left open', () => {
  it('closes, as INTERRUPTED, only the intents of this step that have no outcome', async () => {
    const store = fakeStore([
      call('a', 'intent', 'ensurePodSecurityGroup'),
      call('a', 'outcome', 'ensurePodSecurityGroup', 'ok'),
      call('b', 'intent', 'ensurePodSecurityGroup'),
      call('c', 'intent', 'allowDns'),
    ]);
    expect(await closeInterruptedCalls(store, 'R7K2', 'ensurePodSecurityGroup')).toBe(1);
    const closed = store.rows.filter((r) => r.outcome === 'INTERRUPTED');
    expect(closed.map((r) => [r.callId, r.kind, r.action, r.target])).toEqual([
      ['b', 'outcome', 'CreateSecurityGroup', 'sgops-my-namespace-my-app'],
    ]);
    expect(await closeInterruptedCalls(store, 'R7K2', 'ensurePodSecurityGroup')).toBe(0);
  });
});
