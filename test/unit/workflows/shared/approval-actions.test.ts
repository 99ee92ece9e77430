import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { approvalActions, approvalGuards } from '../../../../workflows/shared/machine/approval-actions.ts';
import type { Approval, Decision } from '../../../../workflows/shared/machine/approval-actions.ts';
import { grantMachine } from '../../../../workflows/grant/machine.ts';
import { repairMachine } from '../../../../workflows/repair/machine.ts';
import { revokeMachine } from '../../../../workflows/revoke/machine.ts';

interface Context {
  quorum: number;
  approvals: Approval[];
  decision: Decision | null;
  approvedAt: string | null;
  outputs: { planning?: { signoffs: { key: string; quorum: number }[] } };
}
type Event =
  | { type: 'approve'; by: string; at: string; comment?: string; as?: string[] }
  | { type: 'deny'; by: string; at: string; reason: string }
  | { type: 'cancel'; by: string; at: string };

/** A waiting request as small as a machine gets: approvals move it on at quorum, like a grant's and a repair's. */
const waiting = setup({
  types: {} as { context: Context; events: Event; input: Context },
  actions: approvalActions<Context, Event>(),
  guards: approvalGuards<Context, Event>(),
}).createMachine({
  context: ({ input }) => input,
  initial: 'waiting',
  states: {
    waiting: {
      on: {
        approve: [
          { guard: 'reachesQuorum', target: 'approved', actions: ['recordApproval', 'recordDecision'] },
          { guard: 'isNewApprover', actions: 'recordApproval' },
        ],
        deny: { target: 'denied', actions: 'recordDecision' },
        cancel: { target: 'cancelled', actions: 'recordDecision' },
      },
    },
    approved: {},
    denied: {},
    cancelled: {},
  },
});

const run = (events: Event[], quorum = 2, signoffs: { key: string; quorum: number }[] = []) => {
  const actor = createActor(waiting, {
    input: { quorum, approvals: [], decision: null, approvedAt: null, outputs: { planning: { signoffs } } },
  }).start();
  for (const event of events) actor.send(event);
  return actor.getSnapshot();
};

/** An assign action's own code (every assign action is the same wrapper around it). */
const assignmentOf = (action: unknown) => String((action as { assignment: unknown }).assignment);

describe('the approval bookkeeping every waiting workflow shares', () => {
  it('counts each person once and moves on when the quorum is reached, stamping the approval', () => {
    const one = run([
      { type: 'approve', by: 'bob', at: 't1', comment: 'ok' },
      { type: 'approve', by: 'bob', at: 't2' },
    ]);
    expect(one.value).toBe('waiting');
    expect(one.context.approvals).toEqual([{ by: 'bob', at: 't1', comment: 'ok', as: ['namespace'] }]);
    const two = run([
      { type: 'approve', by: 'bob', at: 't1' },
      { type: 'approve', by: 'carol', at: 't2' },
    ]);
    expect(two.value).toBe('approved');
    expect(two.context.decision).toEqual({ by: 'carol', at: 't2' });
    expect(two.context.approvedAt).toBe('t2');
  });

  it('waits for every sign-off set, and ignores an approval that counts for none', () => {
    const owners = [{ key: 'owners:name=orders-db', quorum: 1 }];
    expect(run([{ type: 'approve', by: 'bob', at: 't1' }], 1, owners).value).toBe('waiting');
    expect(run([{ type: 'approve', by: 'erin', at: 't1', as: [] }], 1).context.approvals).toEqual([]);
    const both = run(
      [
        { type: 'approve', by: 'bob', at: 't1' },
        { type: 'approve', by: 'erin', at: 't2', as: ['owners:name=orders-db'] },
      ],
      1,
      owners,
    );
    expect(both.value).toBe('approved');
  });

  it('records who rejected and why, or who called it off, without an approval time', () => {
    const denied = run([{ type: 'deny', by: 'bob', at: 't1', reason: 'not now' }]);
    expect(denied.context.decision).toEqual({ by: 'bob', at: 't1', reason: 'not now' });
    expect(denied.context.approvedAt).toBeNull();
    expect(run([{ type: 'cancel', by: 'alice', at: 't1' }]).context.decision).toEqual({
      by: 'alice',
      at: 't1',
    });
  });

  it('is what the grant, repair and revoke machines decide with', () => {
    for (const machine of [grantMachine, repairMachine]) {
      const { actions, guards } = machine.implementations;
      expect(Object.keys(actions)).toEqual(expect.arrayContaining(['recordApproval', 'recordDecision']));
      expect(Object.keys(guards)).toEqual(expect.arrayContaining(['isNewApprover', 'reachesQuorum']));
      expect(String(guards['reachesQuorum'])).toBe(String(approvalGuards().reachesQuorum));
      expect(assignmentOf(actions['recordApproval'])).toBe(assignmentOf(approvalActions().recordApproval));
    }
    expect(assignmentOf(revokeMachine.implementations.actions['recordDecision'])).toBe(
      assignmentOf(approvalActions().recordDecision),
    );
  });
});
