/**
 * Where a request's approval stands: the namespace's approvers (the rule's quorum) and one set per
 * owner of another team's group it touches (the plan's sign-offs). Pure: the machines' guards (a
 * grant's, a repair's) and every view of a waiting request read it the same way.
 */
import { ownNamespaceKey } from '../../src/ports/group-owners.ts';

export interface SignOffProgress {
  key: string;
  quorum: number;
  /** An owner entry's principals (`group:dba`). */
  owners?: string[];
  /** Who signed for this set so far, in order. */
  signed: string[];
}

/** An approval, and the sets it counts for (`namespace`, owner keys); none: the namespace. */
interface Approval {
  by: string;
  as?: string[];
}

/** What the progress is read from: the namespace's quorum, the approvals, the plan's sign-off sets. */
export interface SignOffContext {
  quorum: number;
  approvals: readonly Approval[];
  outputs: { planning?: { signoffs?: readonly { key: string; quorum: number; owners?: string[] }[] } };
}

/** The sets an approval counts for; one made before owners existed counts for the namespace. */
export const countsFor = (approval: Pick<Approval, 'as'>): string[] => approval.as ?? [ownNamespaceKey];

export function signOffProgress(
  context: SignOffContext,
  approvals: readonly Approval[] = context.approvals,
): SignOffProgress[] {
  const required = [
    { key: ownNamespaceKey, quorum: context.quorum },
    ...(context.outputs.planning?.signoffs ?? []).map(({ key, quorum, owners }) => ({
      key,
      quorum,
      ...(owners ? { owners } : {}),
    })),
  ];
  return required.map((set) => ({
    ...set,
    signed: [...new Set(approvals.filter((a) => countsFor(a).includes(set.key)).map((a) => a.by))],
  }));
}

export const allSigned = (progress: readonly SignOffProgress[]): boolean =>
  progress.every((set) => set.signed.length >= set.quorum);

/** The sets still short of their quorum. */
export const stillNeeded = (progress: readonly SignOffProgress[]): SignOffProgress[] =>
  progress.filter((set) => set.signed.length < set.quorum);
