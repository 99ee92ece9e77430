import type { AllowRule, GrantOptions, GrantTarget, Locale } from './command.ts';
import { formatDuration } from './format-duration.ts';
import type { TargetKind } from './grant-keywords.ts';
import { placeholders } from './placeholders.ts';

/** `tcp:3306`, `udp`, `icmp`: an allow rule's protocol and ports as typed. */
export function formatAllowSpec(rule: Pick<AllowRule, 'protocol' | 'ports'>): string {
  const protocol = rule.protocol.toLowerCase();
  return rule.ports === 'ALL' ? protocol : `${protocol}:${rule.ports}`;
}

export function formatPeer(peer: AllowRule['peer']): string {
  return 'cidr' in peer ? peer.cidr : peer.securityGroupId;
}

/**
 * A grant, plan or revoke line as display texts: values are either valid names or placeholders
 * (suggestions after an error), so the same formatter serves canonical lines and suggestions.
 */
export interface GrantParts {
  verb: 'grant' | 'plan' | 'revoke';
  targetKind: TargetKind;
  /** Undefined: the placeholder for the target kind. */
  target?: string;
  namespace?: string;
  clusterId?: string;
  groups?: { kind: 'existing' | 'named'; text: string };
  allow?: { spec: string; direction: 'from' | 'to'; peer: string }[];
  duration?: string;
  reason?: string;
}

const words = {
  en: {
    verb: { grant: 'grant', plan: 'plan', revoke: 'revoke' },
    head: 'pod SG',
    to: 'to',
    from: 'from',
    target: { app: 'app', serviceAccount: 'serviceaccount' },
    namespace: 'in',
    clusterId: 'on',
    using: 'using',
    asGroup: 'as group',
    allow: 'allow',
    direction: { from: 'from', to: 'to' },
    duration: 'for',
    reason: 'because',
  },
  zh: {
    verb: { grant: '授权', plan: '计划', revoke: '撤销' },
    head: 'Pod 安全组',
    to: '给',
    from: '从',
    target: { app: '应用', serviceAccount: '服务账号' },
    namespace: '在',
    clusterId: '于',
    using: '使用',
    asGroup: '作为 组',
    allow: '允许',
    direction: { from: '来自', to: '到' },
    duration: '期限',
    reason: '原因',
  },
} as const;

/** Namespaces spelt like a clause word after `in` are written `in namespace <ns>` to stay unambiguous. */
const ambiguousAfterIn = new Set(['cluster', 'namespace']);

/** `grant pod SG to app web in shop on cls-a1b2c3d4 … because …`, or its Chinese form. */
export function formatGrantParts(parts: GrantParts, locale: Locale): string {
  const w = words[locale];
  const out = [
    w.verb[parts.verb],
    w.head,
    parts.verb === 'revoke' ? w.from : w.to,
    w.target[parts.targetKind],
    parts.target ?? placeholders[locale][parts.targetKind],
  ];
  if (parts.namespace !== undefined) {
    const intro = locale === 'en' && ambiguousAfterIn.has(parts.namespace) ? 'in namespace' : w.namespace;
    out.push(intro, parts.namespace);
  }
  if (parts.clusterId !== undefined) out.push(w.clusterId, parts.clusterId);
  if (parts.groups !== undefined) {
    out.push(parts.groups.kind === 'existing' ? w.using : w.asGroup, parts.groups.text);
  }
  for (const rule of parts.allow ?? []) out.push(w.allow, rule.spec, w.direction[rule.direction], rule.peer);
  if (parts.duration !== undefined) out.push(w.duration, parts.duration);
  if (parts.reason !== undefined) out.push(w.reason, parts.reason);
  return out.join(' ');
}

type GrantLike = Partial<GrantOptions> & { target: GrantTarget };

/** The display parts of a parsed grant, plan or revoke. */
export function grantPartsOf(verb: GrantParts['verb'], command: GrantLike, locale: Locale): GrantParts {
  const target = command.target;
  const parts: GrantParts = {
    verb,
    targetKind: target.kind,
    target: target.kind === 'app' ? target.app : target.serviceAccount,
  };
  if (command.namespace !== undefined) parts.namespace = command.namespace;
  if (command.clusterId !== undefined) parts.clusterId = command.clusterId;
  if (command.groups !== undefined) {
    parts.groups =
      command.groups.kind === 'existing'
        ? { kind: 'existing', text: command.groups.ids.join(',') }
        : { kind: 'named', text: command.groups.name };
  }
  if (command.allow !== undefined) {
    parts.allow = command.allow.map((rule) => ({
      spec: formatAllowSpec(rule),
      direction: rule.direction,
      peer: formatPeer(rule.peer),
    }));
  }
  if (command.durationMs !== undefined) parts.duration = formatDuration(command.durationMs, locale);
  if (command.reason !== undefined) parts.reason = command.reason;
  return parts;
}
