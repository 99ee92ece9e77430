/**
 * Name resolution from a pod: can it reach CoreDNS (the pods behind kube-system/kube-dns, on normal
 * nodes, so filtered by the cluster security group) on UDP 53 and TCP 53? The deciding rules are
 * usually the cluster group's DNS ingress rules from the pod group (`ACCEPT UDP 53 sg-pod`,
 * `ACCEPT TCP 53 sg-pod`, which a grant adds) and the pod group's egress.
 *
 * Resolution works when UDP, or TCP, reaches EVERY CoreDNS pod. That is the simulator's model (the
 * ground truth this is checked against), and it is the honest reading of the real path: a query to
 * the kube-dns Service IP is sent by kube-proxy to one CoreDNS pod at random, so if some CoreDNS pods
 * are unreachable some lookups time out — "works sometimes" is reported as not working, naming the pod
 * it cannot reach. Either protocol suffices in the model because a resolver can use either; a real
 * resolver starts with UDP and uses TCP only for long answers, so a TCP-only path is the optimistic case.
 */
import type { Words } from '../words.ts';
import type { Endpoint, Subject } from './endpoint.ts';
import type { PathExplanation, Verdict } from './explain-path.ts';
import { combineVerdicts, explainPath } from './explain-path.ts';
import { clusterGroupWords } from './hop-words.ts';
import { subjectLabel, verdictLabel } from './labels.ts';

export interface DnsProtocolExplanation {
  protocol: 'UDP' | 'TCP';
  port: number;
  /** One path per CoreDNS pod, in the order given. */
  paths: PathExplanation[];
  /** `allow` when every CoreDNS pod is reached; deny when one is denied (none to reach: deny). */
  verdict: Verdict;
}

export interface DnsExplanation {
  source: Subject;
  udp: DnsProtocolExplanation;
  tcp: DnsProtocolExplanation;
  /** Works when UDP or TCP reaches every CoreDNS pod; unknown when neither is denied-or-allowed for sure. */
  verdict: Verdict;
  said: Words[];
}

function overProtocol(
  source: Endpoint,
  coreDns: readonly Endpoint[],
  protocol: 'UDP' | 'TCP',
  port: number,
): DnsProtocolExplanation {
  const paths = coreDns.map((server) => explainPath(source, server, { protocol, port }));
  const verdict = paths.length === 0 ? 'deny' : combineVerdicts(paths.map((p) => p.verdict));
  return { protocol, port, paths, verdict };
}

/** Each distinct hop sentence once (two CoreDNS pods behind one group say the same thing). */
function hopSentences(p: DnsProtocolExplanation): Words[] {
  const seen = new Set<string>();
  const out: Words[] = [];
  for (const path of p.paths) {
    for (const hop of path.hops) {
      if (seen.has(hop.said.en)) continue;
      seen.add(hop.said.en);
      out.push(hop.said);
    }
  }
  return out;
}

function protocolSummary(p: DnsProtocolExplanation): Words {
  const what = `${p.protocol} ${p.port}`;
  if (p.paths.length === 0)
    return {
      en: `${what}: there is no ready CoreDNS pod to reach.`,
      zh: `${what}：没有就绪的 CoreDNS Pod 可达。`,
    };
  const n = p.paths.length;
  if (p.verdict === 'allow')
    return { en: `${what} reaches every CoreDNS pod (${n}).`, zh: `${what} 可达全部 ${n} 个 CoreDNS Pod。` };
  const stuck = p.paths.filter((path) => path.verdict === p.verdict).map((path) => subjectLabel(path.target));
  const v = verdictLabel[p.verdict];
  return {
    en: `${what} to ${stuck.map((s) => s.en).join(', ')}: ${v.en}, so not every CoreDNS pod (${n}) is reached.`,
    zh: `${what} 到 ${stuck.map((s) => s.zh).join('、')}：${v.zh}，并非全部 ${n} 个 CoreDNS Pod 可达。`,
  };
}

export function explainDns(
  source: Endpoint,
  coreDns: readonly Endpoint[],
  ports: { udp: number; tcp: number } = { udp: 53, tcp: 53 },
): DnsExplanation {
  const udp = overProtocol(source, coreDns, 'UDP', ports.udp);
  const tcp = overProtocol(source, coreDns, 'TCP', ports.tcp);
  const verdict: Verdict =
    udp.verdict === 'allow' || tcp.verdict === 'allow'
      ? 'allow'
      : udp.verdict === 'unknown' || tcp.verdict === 'unknown'
        ? 'unknown'
        : 'deny';
  const who = subjectLabel(source.subject);
  const end: Record<Verdict, Words> = {
    allow: { en: `Name resolution from ${who.en} works.`, zh: `${who.zh} 的域名解析正常。` },
    deny: {
      en: `Name resolution from ${who.en} fails: neither UDP nor TCP reaches every CoreDNS pod.`,
      zh: `${who.zh} 的域名解析失败：UDP 和 TCP 都不能到达全部 CoreDNS Pod。`,
    },
    unknown: {
      en: `Whether name resolution from ${who.en} works is unknown.`,
      zh: `${who.zh} 的域名解析是否正常：未知。`,
    },
  };
  const note = clusterGroupWords(source);
  return {
    source: source.subject,
    udp,
    tcp,
    verdict,
    said: [
      ...(note === undefined ? [] : [note]),
      ...hopSentences(udp),
      protocolSummary(udp),
      ...hopSentences(tcp),
      protocolSummary(tcp),
      end[verdict],
    ],
  };
}
