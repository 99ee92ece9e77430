import type { Command, Locale } from './command.ts';
import { verbWord, verbs } from './keywords.ts';
import type { Verb } from './keywords.ts';

/** Placeholders used in suggestions where a value is missing or unusable. */
export const placeholders: Record<
  Locale,
  Record<'app' | 'namespace' | 'clusterId' | 'requestId' | 'reason', string>
> = {
  en: {
    app: '<app>',
    namespace: '<namespace>',
    clusterId: '<cluster-id>',
    requestId: '<request-id>',
    reason: '<reason>',
  },
  zh: {
    app: '<应用>',
    namespace: '<命名空间>',
    clusterId: '<集群ID>',
    requestId: '<请求编号>',
    reason: '<原因>',
  },
};

export interface GrantParts {
  app?: string;
  namespace?: string;
  clusterId?: string;
}

/** `grant pod SG to app web in shop on cls-a1b2c3d4`, with `<app>` when the app is unknown. */
export function formatGrant(parts: GrantParts, locale: Locale): string {
  const app = parts.app ?? placeholders[locale].app;
  if (locale === 'zh') {
    return [
      `授权 Pod 安全组 给 应用 ${app}`,
      parts.namespace === undefined ? '' : ` 在 ${parts.namespace}`,
      parts.clusterId === undefined ? '' : ` 于 ${parts.clusterId}`,
    ].join('');
  }
  return [
    `grant pod SG to app ${app}`,
    parts.namespace === undefined ? '' : ` in ${parts.namespace}`,
    parts.clusterId === undefined ? '' : ` on ${parts.clusterId}`,
  ].join('');
}

/** `status request <id>`, `approve <id> [comment]`, `deny <id> <reason>` with placeholders. */
export function formatRequestCommand(
  verb: Extract<Verb, 'status' | 'approve' | 'deny'>,
  locale: Locale,
  requestId: string | undefined,
  text?: string,
): string {
  const id = requestId ?? placeholders[locale].requestId;
  if (verb === 'status') return `${verbWord('status', locale)} ${locale === 'zh' ? '请求' : 'request'} ${id}`;
  if (verb === 'deny') return `${verbWord('deny', locale)} ${id} ${text ?? placeholders[locale].reason}`;
  return `${verbWord('approve', locale)} ${id}${text === undefined ? '' : ` ${text}`}`;
}

/** The canonical line for a command: parsing it gives the same command back. */
export function formatCommand(command: Command, locale: Locale): string {
  switch (command.kind) {
    case 'grant':
      return formatGrant(
        { app: command.target.app, namespace: command.namespace, clusterId: command.clusterId },
        locale,
      );
    case 'status':
      return formatRequestCommand('status', locale, command.requestId);
    case 'approve':
      return formatRequestCommand('approve', locale, command.requestId, command.comment);
    case 'deny':
      return formatRequestCommand('deny', locale, command.requestId, command.reason);
    case 'help': {
      const word = verbWord('help', locale);
      if (command.topic === undefined) return word;
      const topic = (verbs as readonly string[]).includes(command.topic)
        ? verbWord(command.topic as Verb, locale)
        : command.topic;
      return `${word} ${topic}`;
    }
  }
}
