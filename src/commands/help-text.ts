import type { Locale } from './command.ts';
import { helpReference } from './help-entries.ts';
import { lookupVerb, verbs } from './keywords.ts';

/**
 * The command reference in English or Chinese. `topic` is a command word in either language
 * (`grant`, `批准`); an unknown topic gives the whole reference.
 */
export function helpText(locale: Locale, topic?: string): string {
  const ref = helpReference[locale];
  const verb = topic === undefined ? undefined : lookupVerb(topic.trim())?.verb;
  if (verb !== undefined) {
    const entry = ref.entries[verb];
    return [
      entry.usage,
      entry.about,
      ...entry.examples.map((e) => `  ${locale === 'zh' ? '例' : 'e.g.'} ${e}`),
    ].join('\n');
  }
  const lines = verbs.map((v) => `• ${ref.entries[v].usage} — ${ref.entries[v].about}`);
  return [ref.title, ...lines, ref.footer].join('\n');
}
