/**
 * A request's target as people write it: `app my-app` / `serviceaccount builder` (应用 / 服务账号).
 * Reads a stored spec's target loosely: snapshots from before service-account targets have no `kind`.
 */
import type { Locale } from '../commands/command.ts';

export function targetText(target: unknown, locale: Locale): string {
  const t = (target ?? {}) as { kind?: string; app?: string; serviceAccount?: string };
  const zh = locale === 'zh';
  if (t.kind === 'serviceAccount' && t.serviceAccount)
    return zh ? `服务账号 ${t.serviceAccount}` : `serviceaccount ${t.serviceAccount}`;
  if (t.app) return zh ? `应用 ${t.app}` : `app ${t.app}`;
  return '?';
}
