/**
 * A sentence a step says, kept in both languages at once: steps do not know who will read their
 * output (the requester, approvers of either language, the console), so they record both and each
 * reader is shown theirs. One language per person: a reader never gets the other one beside it.
 */
import type { Locale } from './locale.ts';

export interface Words {
  en: string;
  zh: string;
}

export const words = (en: string, zh: string): Words => ({ en, zh });

/**
 * What a step recorded: `Words` now; a plain string in outputs recorded before steps spoke both
 * languages (shown as it was recorded, since that is what was said).
 */
export type Said = string | Words;

export function saidIn(said: Said, locale: Locale): string {
  return typeof said === 'string' ? said : said[locale];
}

/** Joins sentences said in both languages, language by language. */
export function joinWords(parts: readonly Words[], separator: string): Words {
  return { en: parts.map((p) => p.en).join(separator), zh: parts.map((p) => p.zh).join(separator) };
}
