/**
 * Rule additions to (or removals from) one security group, gathered while they wait for the
 * group's write turn. Every grant adds its DNS rules to the one cluster group (and every revoke
 * removes them), one request per turn (a read, then a write): with ~50 ms per call that caps a
 * cluster at ~9 grants/s whatever the rate limits allow. Callers that arrive while a batch still
 * waits for its turn join it; when the turn comes, the batch closes and its first caller (the
 * leader) makes one read and at most one write per direction for all of them, through its own
 * audited ports. Each caller is answered with the rules changed for it (a rule two callers name is
 * credited to the first, so only one rollback removes it); a failure fails every member, whose
 * steps retry as they would alone. One instance per process.
 */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import { sameRule } from '../rules/rules.ts';

export type WantedRules = Partial<Record<Direction, Rule[]>>;
export type AddedRules = Record<Direction, Rule[]>;

/** Most rules one batch asks for per direction (one CreateSecurityGroupPolicies call each). */
export const maxRulesPerBatch = 50;

export type BatchTurn =
  /** Follow: the leader's turn answers this caller. */
  | { leader: false; added: Promise<AddedRules> }
  /**
   * Lead: call `close()` when the group's turn begins (it returns every member's wanted rules, own
   * first), then `settle` with what the write added, or `fail`.
   */
  | {
      leader: true;
      close(): WantedRules[];
      settle(added: AddedRules): AddedRules;
      fail(error: unknown): void;
    };

export interface RuleWriteBatches {
  /**
   * `key` names the group and what is done to it (additions, or removals of one direction): only
   * callers doing the same thing to the same group share a batch.
   */
  join(key: string, wanted: WantedRules): BatchTurn;
}

interface Member {
  wanted: WantedRules;
  resolve(added: AddedRules): void;
  reject(error: unknown): void;
}

const count = (wanted: WantedRules, direction: Direction) => wanted[direction]?.length ?? 0;

/** What of `added` each member asked for, the first asker of a rule getting it. */
function shareOut(added: AddedRules, wanted: WantedRules[]): AddedRules[] {
  const shares = wanted.map((): AddedRules => ({ ingress: [], egress: [] }));
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of added[direction]) {
      const i = wanted.findIndex((w) => (w[direction] ?? []).some((r) => sameRule(r, rule)));
      if (i >= 0) shares[i]![direction].push(rule);
    }
  }
  return shares;
}

export function createRuleWriteBatches(): RuleWriteBatches {
  /** The batch of each group that still waits for its turn. */
  const waiting = new Map<string, { own: WantedRules; members: Member[] }>();
  return {
    join(key, wanted) {
      const open = waiting.get(key);
      const fits =
        open !== undefined &&
        (['ingress', 'egress'] as const).every(
          (d) =>
            count(open.own, d) +
              open.members.reduce((n, m) => n + count(m.wanted, d), 0) +
              count(wanted, d) <=
            maxRulesPerBatch,
        );
      if (open && fits) {
        const added = new Promise<AddedRules>((resolve, reject) =>
          open.members.push({ wanted, resolve, reject }),
        );
        return { leader: false, added };
      }
      const batch = { own: wanted, members: [] as Member[] };
      waiting.set(key, batch);
      const closed = () => {
        if (waiting.get(key) === batch) waiting.delete(key);
      };
      return {
        leader: true,
        close() {
          closed();
          return [batch.own, ...batch.members.map((m) => m.wanted)];
        },
        settle(added) {
          closed();
          const [own, ...theirs] = shareOut(added, [batch.own, ...batch.members.map((m) => m.wanted)]);
          batch.members.forEach((m, i) => m.resolve(theirs[i]!));
          return own!;
        },
        fail(error) {
          closed();
          for (const m of batch.members) m.reject(error);
        },
      };
    },
  };
}
