import type { Command, Locale } from './command.ts';
import { explainPartsOf, formatExplainParts } from './format-explain.ts';
import { formatGrantParts, grantPartsOf } from './format-grant.ts';
import { lookupVerb, policyWords, requestFilterWords, verbWord } from './keywords.ts';
import type { Verb } from './keywords.ts';
import { placeholders } from './placeholders.ts';

export type RequestVerb = Extract<
  Verb,
  'status' | 'approve' | 'deny' | 'cancel' | 'retry' | 'rollback' | 'repair' | 'audit'
>;

/**
 * `status request <id>`, `approve <id> [comment]`, `deny <id> <reason>`, `cancel <id>` …,
 * with placeholders where the id or the reason is missing.
 */
export function formatRequestCommand(
  verb: RequestVerb,
  locale: Locale,
  requestId: string | undefined,
  text?: string,
): string {
  const id = requestId ?? placeholders[locale].requestId;
  const word = verbWord(verb, locale);
  if (verb === 'status') return `${word} ${locale === 'zh' ? '请求' : 'request'} ${id}`;
  if (verb === 'deny') return `${word} ${id} ${text ?? placeholders[locale].reason}`;
  if (verb === 'approve') return `${word} ${id}${text === undefined ? '' : ` ${text}`}`;
  return `${word} ${id}`;
}

/** `status app web [in shop]` / `状态 应用 web [在 shop]`. */
export function formatStatusApp(
  app: string | undefined,
  namespace: string | undefined,
  locale: Locale,
): string {
  const head = `${verbWord('status', locale)} ${locale === 'zh' ? '应用' : 'app'} ${app ?? placeholders[locale].app}`;
  if (namespace === undefined) return head;
  if (locale === 'zh') return `${head} 在 ${namespace}`;
  return `${head} ${namespace === 'cluster' || namespace === 'namespace' ? 'in namespace' : 'in'} ${namespace}`;
}

/** `status policies [in shop]` / `状态 策略 [在 shop]`. */
export function formatStatusPolicies(namespace: string | undefined, locale: Locale): string {
  const word = (locale === 'zh' ? policyWords[2] : policyWords[0])?.[0] ?? 'policies';
  const head = `${verbWord('status', locale)} ${word}`;
  if (namespace === undefined) return head;
  return `${head} ${locale === 'zh' ? '在' : 'in'} ${namespace}`;
}

export function formatRequests(filter: 'mine' | 'pending' | 'all', locale: Locale): string {
  return `${verbWord('requests', locale)} ${requestFilterWords[filter][locale][0] ?? filter}`;
}

/** The canonical line for a command: parsing it gives the same command back, in that locale. */
export function formatCommand(command: Command, locale: Locale): string {
  switch (command.kind) {
    case 'grant':
    case 'plan':
      return formatGrantParts(grantPartsOf(command.kind, command, locale), locale);
    case 'revoke':
      return formatGrantParts(grantPartsOf('revoke', command, locale), locale);
    case 'status':
      return formatRequestCommand('status', locale, command.requestId);
    case 'statusApp':
      return formatStatusApp(command.app, command.namespace, locale);
    case 'statusPolicies':
      return formatStatusPolicies(command.namespace, locale);
    case 'requests':
      return formatRequests(command.filter, locale);
    case 'approve':
      return formatRequestCommand('approve', locale, command.requestId, command.comment);
    case 'deny':
      return formatRequestCommand('deny', locale, command.requestId, command.reason);
    case 'cancel':
    case 'retry':
    case 'rollback':
    case 'repair':
    case 'audit':
      return formatRequestCommand(command.kind, locale, command.requestId);
    case 'explain':
      return formatExplainParts(explainPartsOf(command), locale);
    case 'help': {
      const word = verbWord('help', locale);
      if (command.topic === undefined) return word;
      const topic = lookupVerb(command.topic);
      return `${word} ${topic === undefined ? command.topic : verbWord(topic.verb, locale)}`;
    }
  }
}
