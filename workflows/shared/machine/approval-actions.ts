/**
 * The approval bookkeeping every workflow machine that waits for people does, written once: keep
 * an approval with the sign-off sets it counts for, record the decision (approve, deny, cancel,
 * rollback: whoever's event ended the wait), and tell a first approval that counts from one that
 * completes every sign-off set. Each machine passes its own context and events, so the actions
 * and guards stay typed to it, as `stepActions` does.
 */
import { assign } from 'xstate';
import type { EventObject } from 'xstate';
import { allSigned, countsFor, signOffProgress } from '../sign-off-progress.ts';
import type { SignOffContext } from '../sign-off-progress.ts';

export interface Approval {
  by: string;
  at: string;
  comment?: string;
  as?: string[];
}

export interface Decision {
  by: string;
  at: string;
  reason?: string;
}

/** What the actions write: the approvals so far, the decision, and when it was approved (if it can be). */
export interface ApprovalFields {
  approvals: Approval[];
  decision: Decision | null;
  approvedAt?: string | null;
}

/** The fields a person's event carries, read from any of the machine's events. */
type PersonEventFields = EventObject & {
  by?: string;
  at?: string;
  comment?: string;
  reason?: string;
  as?: string[];
};

export function approvalActions<C extends ApprovalFields, E extends EventObject>() {
  // C extends ApprovalFields, so a patch of those fields is a patch of C.
  const patch = (fields: Partial<ApprovalFields>) => fields as Partial<C>;
  const person = (event: E) => event as PersonEventFields;
  return {
    recordApproval: assign<C, E, undefined, E, never>(({ context, event }) => {
      const { type, by, at, comment, as } = person(event);
      if (type !== 'approve' || by === undefined || at === undefined) return {};
      return patch({
        approvals: [
          ...context.approvals,
          { by, at, ...(comment ? { comment } : {}), as: countsFor({ ...(as ? { as } : {}) }) },
        ],
      });
    }),
    /** Who ended the wait and when; an approval also stamps `approvedAt` (a machine without one never approves). */
    recordDecision: assign<C, E, undefined, E, never>(({ event }) => {
      const { type, by, at, reason } = person(event);
      const decision: Decision | null =
        by === undefined || at === undefined
          ? null
          : type === 'deny'
            ? { by, at, reason: reason ?? '' }
            : { by, at };
      return patch({ decision, ...(type === 'approve' && at !== undefined ? { approvedAt: at } : {}) });
    }),
  };
}

export function approvalGuards<C extends ApprovalFields & SignOffContext, E extends EventObject>() {
  /** The sets this approval counts for, when it is a first approval by its person; else none. */
  const newSets = (context: C, event: E): string[] | null => {
    const { type, by, as } = event as PersonEventFields;
    if (type !== 'approve' || context.approvals.some((a) => a.by === by)) return null;
    const sets = countsFor({ ...(as ? { as } : {}) });
    return sets.length > 0 ? sets : null;
  };
  return {
    /** A first approval by this person that counts for some sign-off set. */
    isNewApprover: ({ context, event }: { context: C; event: E }) => newSets(context, event) !== null,
    /** With this approval, every sign-off set (the namespace's quorum, each touched group's owners) is complete. */
    reachesQuorum: ({ context, event }: { context: C; event: E }) => {
      const sets = newSets(context, event);
      const by = (event as PersonEventFields).by;
      return (
        sets !== null &&
        by !== undefined &&
        allSigned(signOffProgress(context, [...context.approvals, { by, as: sets }]))
      );
    },
  };
}
