/**
 * An explanation as chat shows it, in the reader's language: the verdict over the pods first, then
 * each distinct path once (pods that meet the same rules share it), the deciding rules with their
 * group and PolicyIndex, and the line to type for a deny. `--json` carries `explainFacts` instead.
 */
import type { Locale } from '../domain/locale.ts';
import type { Words } from '../domain/words.ts';
import { saidIn } from '../domain/words.ts';
import type { FixContext } from '../domain/reachability/smallest-change.ts';
import { renderChange } from '../domain/reachability/render-change.ts';
import type { ExplainAnswer, PodAnswer } from '../explain/explain-answer.ts';

const verdictHead: Record<string, Words> = {
  allow: { en: 'allowed', zh: '允许' },
  deny: { en: 'denied', zh: '拒绝' },
  unknown: { en: 'unknown', zh: '未知' },
  mixed: { en: 'mixed', zh: '因 Pod 而异' },
};

/** What decided each hop of the pod's paths: pods with the same key met the same rules. */
function storyKey(pod: PodAnswer): string {
  const paths = pod.dns ? [...pod.dns.udp.paths, ...pod.dns.tcp.paths] : pod.paths;
  return JSON.stringify([
    pod.verdict,
    paths.map((p) => [
      p.target,
      p.verdict,
      p.hops.map((h) => [h.verdict, h.rule?.groupId, h.rule?.policyIndex]),
    ]),
  ]);
}

/** The pod's sentences in order, each once (how the pod is filtered is said once, not per target pod). */
function sentencesOf(pod: PodAnswer): Words[] {
  const all = pod.dns ? pod.dns.said : pod.paths.flatMap((p) => p.said);
  const seen = new Set<string>();
  return all.filter((w) => !seen.has(w.en) && Boolean(seen.add(w.en)));
}

export function renderExplain(
  answer: ExplainAnswer,
  question: string,
  ctx: FixContext,
  reads: { kubernetes: number; cloud: number },
  locale: Locale,
): string {
  const t = (w: Words) => saidIn(w, locale);
  const zh = locale === 'zh';
  const head = t(verdictHead[answer.overall.verdict]!);
  const lines = [
    zh
      ? `${question}：${head}。${t(answer.overall.said)}`
      : `${question}: ${head}. ${t(answer.overall.said)}`,
  ];
  if (answer.missing) lines.push(t(answer.missing));
  // Pods that meet the same rules have the same story: told once, for the first, with the others named.
  const stories = new Map<string, { pods: string[]; said: string[] }>();
  for (const pod of answer.pods) {
    const key = storyKey(pod);
    const story = stories.get(key) ?? { pods: [], said: sentencesOf(pod).map(t) };
    story.pods.push(pod.pod);
    stories.set(key, story);
  }
  for (const { pods, said } of stories.values()) {
    if (said.length === 0) continue;
    const [first, ...others] = pods;
    const alike =
      others.length === 0
        ? ''
        : zh
          ? `（${others.join('、')} 与之相同）`
          : ` (the same for ${others.join(', ')})`;
    lines.push('', `Pod ${first}${alike}${zh ? '：' : ':'}`);
    lines.push(...said.map((s) => `- ${s}`));
  }
  const fixes = answer.changes.map((change) => ({
    line: renderChange(change, ctx, locale),
    why: change.why,
  }));
  if (fixes.length > 0) {
    lines.push('', zh ? '最小的改动：' : 'The smallest change:');
    for (const fix of fixes) {
      lines.push(...fix.why.map((w) => `- ${t(w)}`));
      if (fix.line) lines.push(`\`${fix.line}\``);
    }
  }
  lines.push(
    '',
    zh
      ? `读取：Kubernetes 请求 ${reads.kubernetes} 次，云 API 调用 ${reads.cloud} 次。`
      : `Read: ${reads.kubernetes} Kubernetes requests, ${reads.cloud} cloud calls.`,
  );
  return lines.join('\n');
}

/** What `sgops say --json` and scripts read: the verdict on top, each pod's, each path's hops. */
export function explainFacts(
  answer: ExplainAnswer,
  ctx: FixContext,
  reads: { kubernetes: number; cloud: number },
): Record<string, unknown> {
  return {
    verdict: answer.overall.verdict,
    pods: answer.pods.map((pod) => ({
      pod: pod.pod,
      verdict: pod.verdict,
      ...(pod.dns
        ? {
            dns: {
              verdict: pod.dns.verdict,
              udp: pod.dns.udp.verdict,
              tcp: pod.dns.tcp.verdict,
              missing: pod.dns.missing,
              paths: [...pod.dns.udp.paths, ...pod.dns.tcp.paths].map(pathFacts),
            },
          }
        : { paths: pod.paths.map(pathFacts) }),
    })),
    suggestions: answer.changes.map((change) => ({
      kind: change.kind,
      ...(renderChange(change, ctx, 'en') ? { line: renderChange(change, ctx, 'en') } : {}),
      why: change.why.map((w) => w.en),
    })),
    reads,
  };
}

function pathFacts(path: PodAnswer['paths'][number]) {
  return {
    source: path.source,
    target: path.target,
    flow: path.flow,
    verdict: path.verdict,
    ...(path.deniedAt ? { deniedAt: path.deniedAt } : {}),
    hops: path.hops.map((hop) => ({
      direction: hop.direction,
      verdict: hop.verdict,
      ...(hop.rule ? { rule: hop.rule } : {}),
      // No rule matched: the groups looked at, in order.
      ...('groupIds' in hop.cause ? { groupIds: hop.cause.groupIds } : {}),
      said: hop.said.en,
    })),
  };
}
