import type { Command, ExplainTarget, Locale } from './command.ts';
import { formatFlow } from '../domain/reachability/flow.ts';
import { placeholders } from './placeholders.ts';

type Explain = Extract<Command, { kind: 'explain' }>;

/** Where an explain goes, as display texts: valid values or placeholders (suggestions after an error). */
export type ExplainTargetParts =
  | { kind: 'dns' }
  | { kind: 'app' | 'pod'; name?: string; namespace?: string }
  /** A group id, an IP or a CIDR, written as is. */
  | { kind: 'address'; text: string };

/** An explain line as display texts, so one formatter serves canonical lines and suggestions. */
export interface ExplainParts {
  sourceKind: 'app' | 'pod';
  /** Undefined: the placeholder for the source kind. */
  source?: string;
  namespace?: string;
  clusterId?: string;
  /** Undefined: `to <target>`. */
  target?: ExplainTargetParts;
  flow?: string;
}

const words = {
  en: {
    verb: 'explain',
    kind: { app: 'app', pod: 'pod' },
    namespace: 'in',
    clusterId: 'on',
    to: 'to',
    dns: 'dns',
  },
  zh: {
    verb: '解释',
    kind: { app: '应用', pod: 'Pod' },
    namespace: '在',
    clusterId: '于',
    to: '到',
    dns: '域名解析',
  },
} as const;

/** `in cluster <x>` would read as the cluster: such namespaces get the full intro, as in grants. */
function namespaceIntro(namespace: string, locale: Locale): string {
  return locale === 'en' && (namespace === 'cluster' || namespace === 'namespace')
    ? 'in namespace'
    : words[locale].namespace;
}

/** `explain app web in shop on cls-a1b2c3d4 to app orders in shop tcp:8080`, or its Chinese form. */
export function formatExplainParts(parts: ExplainParts, locale: Locale): string {
  const w = words[locale];
  const ph = placeholders[locale];
  const out: string[] = [w.verb, w.kind[parts.sourceKind], parts.source ?? ph[parts.sourceKind]];
  if (parts.namespace !== undefined) out.push(namespaceIntro(parts.namespace, locale), parts.namespace);
  if (parts.clusterId !== undefined) out.push(w.clusterId, parts.clusterId);
  const target = parts.target;
  if (target === undefined) out.push(w.to, ph.target);
  else if (target.kind === 'dns') out.push(w.dns);
  else if (target.kind === 'address') out.push(w.to, target.text);
  else {
    out.push(w.to, w.kind[target.kind], target.name ?? ph[target.kind]);
    if (target.namespace !== undefined) out.push(namespaceIntro(target.namespace, locale), target.namespace);
  }
  if (parts.flow !== undefined) out.push(parts.flow);
  return out.join(' ');
}

function targetPartsOf(target: ExplainTarget): ExplainTargetParts {
  switch (target.kind) {
    case 'dns':
      return { kind: 'dns' };
    case 'group':
      return { kind: 'address', text: target.securityGroupId };
    case 'ip':
      return { kind: 'address', text: target.ip };
    case 'cidr':
      return { kind: 'address', text: target.cidr };
    case 'app':
    case 'pod': {
      const name = target.kind === 'app' ? target.app : target.pod;
      return {
        kind: target.kind,
        name,
        ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
      };
    }
  }
}

/** The display parts of a parsed explain. */
export function explainPartsOf(command: Explain): ExplainParts {
  const { source } = command;
  const parts: ExplainParts = {
    sourceKind: source.kind,
    source: source.kind === 'app' ? source.app : source.pod,
    target: targetPartsOf(command.target),
  };
  if (command.namespace !== undefined) parts.namespace = command.namespace;
  if (command.clusterId !== undefined) parts.clusterId = command.clusterId;
  if (command.flow !== undefined) parts.flow = formatFlow(command.flow);
  return parts;
}
