/** Renders a grant's time as chat text: how long it lasts, when it ends, and how it ended. */
import type { Locale } from '../commands/command.ts';
import { formatDuration } from '../commands/format-duration.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import { replyTexts } from './reply-texts.ts';

type TimeFacts = Partial<Pick<GrantContext, 'expiresAt' | 'revocation' | 'lapse'>> & {
  spec: { durationMs?: number };
};

/** `2026-05-01 18:00 UTC`: the same in both languages, and never the reader's guess of a timezone. */
export const formatInstant = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** A span as people say it: whole minutes once it is a minute or more (`7h59m` rather than `7h59m58s`). */
export function formatSpan(ms: number, locale: Locale): string {
  const rounded = ms >= 60_000 ? Math.round(ms / 60_000) * 60_000 : ms;
  return formatDuration(rounded, locale);
}

/** ` for 8h` after a time-bound grant's description; '' for any other request. */
export function durationPhrase(workflow: string, context: TimeFacts, locale: Locale): string {
  const ms = workflow === 'grant' ? context.spec.durationMs : undefined;
  return ms === undefined ? '' : replyTexts[locale].forDuration({ duration: formatDuration(ms, locale) });
}

/** When a time-bound grant in force ends, seen at `now`; '' before it started or once it ended. */
export function expiryLine(context: TimeFacts, now: string, locale: Locale): string {
  if (!context.expiresAt || context.revocation || context.lapse) return '';
  return replyTexts[locale].expiresAt({
    expires: formatInstant(context.expiresAt),
    left: formatSpan(Math.max(0, Date.parse(context.expiresAt) - Date.parse(now)), locale),
  });
}

/** The drift found now, as chat says it: since when, and each note on its line; '' for none. */
export function driftParts(
  context: Pick<GrantContext, 'drift'>,
  locale: Locale,
): { since: string; notes: string } {
  const drift = context.drift;
  return {
    since: drift ? formatInstant(drift.since) : '-',
    notes: (drift?.notes ?? []).map((n) => `- ${n.said[locale]}`).join('\n'),
  };
}

/** How a time-bound grant ended: by expiry, by someone's revoke, or covered by another grant. */
export function revocationLine(context: TimeFacts, locale: Locale): string {
  if (context.lapse) return replyTexts[locale].endedCovered({ coveredBy: context.lapse.coveredBy });
  const ended = context.revocation;
  if (!ended) return '';
  return ended.cause === 'expired'
    ? replyTexts[locale].endedByExpiry({ revokeId: ended.revokeRequestId })
    : replyTexts[locale].endedByRevoke({ revokeId: ended.revokeRequestId, by: ended.by });
}
