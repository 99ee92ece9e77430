/**
 * The answer to one `explain` question, from what was read: each source pod's path (or DNS) through
 * the rules, the verdict over the pods, and the smallest change for a deny. Pure; the chat renders
 * it in the reader's language and `--json` carries it as it is.
 */
import type { Words } from '../domain/words.ts';
import type { Endpoint } from '../domain/reachability/endpoint.ts';
import type { PathExplanation, Verdict } from '../domain/reachability/explain-path.ts';
import { combineVerdicts, explainPath } from '../domain/reachability/explain-path.ts';
import type { DnsExplanation } from '../domain/reachability/explain-dns.ts';
import { explainDns } from '../domain/reachability/explain-dns.ts';
import type { OverallVerdict } from '../domain/reachability/verdict-over-pods.ts';
import { verdictOverPods } from '../domain/reachability/verdict-over-pods.ts';
import type { Change, FixContext } from '../domain/reachability/smallest-change.ts';
import { smallestChange } from '../domain/reachability/smallest-change.ts';
import { dnsChanges, mergeChanges } from '../domain/reachability/merge-changes.ts';
import type { Flow } from '../domain/reachability/flow.ts';
import type { ExplainWorld } from './read-explain-world.ts';

export interface PodAnswer {
  pod: string;
  verdict: Verdict;
  /** A path per target endpoint (`explain … to …`), or the lookup (`explain … dns`). */
  paths: PathExplanation[];
  dns?: DnsExplanation;
}

export interface ExplainAnswer {
  overall: OverallVerdict;
  pods: PodAnswer[];
  changes: Change[];
  /** Something the question could not be answered without (no pods, no target). */
  missing?: Words;
}

/**
 * `flow` is what a path question follows (the handler asks for one); a DNS question needs none.
 * The handler answers a question without source pods as a mistake before it comes here.
 */
export function explainAnswer(
  world: ExplainWorld,
  ask: { flow?: Flow; dns: boolean },
  ctx: FixContext,
): ExplainAnswer {
  const fix: FixContext = { ...ctx, ...(world.podGroupId ? { podGroupId: world.podGroupId } : {}) };
  const perPod = world.sources.map((source) => answerFor(source, world, ask, fix));
  const overall = verdictOverPods(perPod.map(({ answer }) => ({ pod: answer.pod, verdict: answer.verdict })));
  const missingTarget =
    !ask.dns && world.targets.length === 0
      ? {
          en: 'The target has no running pod, so there is nothing to reach.',
          zh: '目标没有正在运行的 Pod，无从到达。',
        }
      : undefined;
  return {
    overall,
    pods: perPod.map(({ answer }) => answer),
    changes: mergeChanges(perPod.map(({ changes }) => changes)),
    ...(missingTarget ? { missing: missingTarget } : {}),
  };
}

function answerFor(
  source: Endpoint,
  world: ExplainWorld,
  ask: { flow?: Flow; dns: boolean },
  ctx: FixContext,
): { answer: PodAnswer; changes: Change[] } {
  const pod = source.subject.kind === 'pod' ? source.subject.name : '';
  if (ask.dns) {
    const dns = explainDns(source, world.coreDns, world.podGroupId ? { podGroupId: world.podGroupId } : {});
    return {
      answer: { pod, verdict: dns.verdict, paths: [], dns },
      changes: dnsChanges(dns, source, world.coreDns, ctx),
    };
  }
  const flow = ask.flow;
  if (flow === undefined) return { answer: { pod, verdict: 'unknown', paths: [] }, changes: [] };
  const paths = world.targets.map((target) => explainPath(source, target, flow));
  // Through a Service a connection may land on any of the target's pods: all must let it in.
  const verdict = paths.length === 0 ? 'unknown' : combineVerdicts(paths.map((p) => p.verdict));
  return {
    answer: { pod, verdict, paths },
    changes: mergeChanges(paths.map((p, i) => smallestChange(p, source, world.targets[i]!, ctx))),
  };
}
