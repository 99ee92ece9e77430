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
import type { Rule } from '../../ports/cloud-network.ts';
import type { Words } from '../words.ts';
import type { Endpoint, Subject } from './endpoint.ts';
import type { PathExplanation, Verdict } from './explain-path.ts';
import { combineVerdicts, explainPath } from './explain-path.ts';
import { clusterGroupWords } from './hop-words.ts';
import { subjectLabel, verdictLabel } from './labels.ts';
import { ruleText } from './rule-text.ts';

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
  /**
   * The DNS rules a grant writes that would have matched where no ingress rule of the cluster group
   * did (`ACCEPT UDP 53 <pod group>` into the cluster group): what is missing, by name.
   */
  missing: { groupId: string; rule: Rule }[];
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

/**
 * Each distinct hop sentence once (two CoreDNS pods behind one group say the same thing, and the
 * pod's egress rule often decides UDP and TCP alike); `seen` is shared over both protocols.
 */
function hopSentences(p: DnsProtocolExplanation, seen: Set<string>): Words[] {
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

/**
 * The grant's DNS rule for a protocol that no cluster-group ingress rule matched: from the pod group
 * (`podGroupId`, else the source's first own group), into the group filtering CoreDNS.
 */
function missingDnsRules(
  p: DnsProtocolExplanation,
  source: Endpoint,
  coreDns: readonly Endpoint[],
  podGroupId: string | undefined,
): { groupId: string; rule: Rule }[] {
  const from = podGroupId ?? (source.filtering.by === 'own' ? source.filtering.groups[0]?.id : undefined);
  if (from === undefined || source.filtering.by !== 'own') return [];
  const into = new Set<string>();
  p.paths.forEach((path, i) => {
    const server = coreDns[i]?.filtering;
    if (server?.by === 'clusterGroup' && path.hops[1].cause.by === 'noMatch') into.add(server.group.id);
  });
  return [...into].map((groupId) => ({
    groupId,
    rule: { protocol: p.protocol, port: String(p.port), peer: { securityGroupId: from }, action: 'ACCEPT' },
  }));
}

function missingWords(missing: { groupId: string; rule: Rule }[]): Words[] {
  return missing.map(({ groupId, rule }) => {
    const text = ruleText(rule);
    return {
      en: `Missing from the ingress of ${groupId}: the DNS rule \`${text}\`.`,
      zh: `${groupId} 的入站规则中缺少 DNS 规则 \`${text}\`。`,
    };
  });
}

export interface DnsOptions {
  /** The kube-dns Service's ports (53 unless the cluster says otherwise). */
  ports?: { udp: number; tcp: number };
  /** The app's pod group, whose DNS rules a grant writes; default: the source's first own group. */
  podGroupId?: string;
}

export function explainDns(
  source: Endpoint,
  coreDns: readonly Endpoint[],
  options: DnsOptions = {},
): DnsExplanation {
  const ports = options.ports ?? { udp: 53, tcp: 53 };
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
  // Named even when the other protocol works: real resolvers start with UDP.
  const missing = [udp, tcp].flatMap((p) => missingDnsRules(p, source, coreDns, options.podGroupId));
  const note = clusterGroupWords(source);
  const seen = new Set<string>();
  return {
    source: source.subject,
    udp,
    tcp,
    verdict,
    missing,
    said: [
      ...(note === undefined ? [] : [note]),
      ...hopSentences(udp, seen),
      protocolSummary(udp),
      ...hopSentences(tcp, seen),
      protocolSummary(tcp),
      ...missingWords(missing),
      end[verdict],
    ],
  };
}
