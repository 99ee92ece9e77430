/**
 * One list of changes for several paths (an app's pods, or one pod to every CoreDNS pod): one grant
 * line carrying every allow clause needed, each other change once.
 */
import type { AllowRule } from '../../commands/command.ts';
import type { DnsExplanation } from './explain-dns.ts';
import type { Endpoint } from './endpoint.ts';
import type { Change, FixContext } from './smallest-change.ts';
import { smallestChange } from './smallest-change.ts';

const allowKey = (rule: AllowRule) => JSON.stringify([rule.protocol, rule.ports, rule.direction, rule.peer]);

export function mergeChanges(lists: readonly Change[][]): Change[] {
  const out: Change[] = [];
  const seen = new Set<string>();
  let grant: Extract<Change, { kind: 'grant' }> | undefined;
  const clauses = new Set<string>();
  const reasons = new Set<string>();
  for (const change of lists.flat()) {
    if (change.kind === 'grant') {
      if (grant === undefined) {
        grant = { kind: 'grant', allow: [], why: [] };
        out.unshift(grant);
      }
      for (const rule of change.allow) {
        if (clauses.has(allowKey(rule))) continue;
        clauses.add(allowKey(rule));
        grant.allow.push(rule);
      }
      for (const w of change.why) {
        if (reasons.has(w.en)) continue;
        reasons.add(w.en);
        grant.why.push(w);
      }
      continue;
    }
    const key =
      change.kind === 'repair'
        ? `repair ${change.requestId}`
        : `${change.kind} ${change.why.map((w) => w.en).join(' ')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(change);
  }
  return out;
}

/**
 * What would make name resolution work when it fails: the changes that let UDP 53 (what a resolver
 * uses first) reach every CoreDNS pod. `coreDns` are the endpoints `explainDns` was given, in order.
 */
export function dnsChanges(
  dns: DnsExplanation,
  source: Endpoint,
  coreDns: readonly Endpoint[],
  ctx: FixContext,
): Change[] {
  if (dns.verdict !== 'deny') return [];
  return mergeChanges(
    dns.udp.paths.map((path, i) => {
      const server = coreDns[i];
      return server === undefined ? [] : smallestChange(path, source, server, ctx, { dns: true });
    }),
  );
}
