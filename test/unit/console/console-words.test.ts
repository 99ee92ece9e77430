/**
 * The console's own words exist in both languages: every label, button and heading the English
 * page has, the 中文 page has too (a missing one shows an empty button or an English id).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { zhStateNames } from '../../../src/chat/state-names.ts';

/**
 * The browser module as the console serves it: its state-names import is the module the console
 * makes from chat's list (console-routes.ts), so here that list is put in its place.
 */
async function loadWords(): Promise<(locale: string) => Record<string, unknown>> {
  const source = (
    await readFile(new URL('../../../src/console/console-words.js', import.meta.url), 'utf8')
  ).replace(
    /^import \{ zhStateNames \} from '\.\/console-state-names\.js';$/m,
    `const zhStateNames = ${JSON.stringify(zhStateNames)};`,
  );
  const module = (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as {
    wordsFor: (locale: string) => Record<string, unknown>;
  };
  return module.wordsFor;
}
const wordsFor = await loadWords();

/** The paths to every leaf: `actions.repair`, `columns.id`, … (functions are leaves too). */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leaves(v, prefix ? `${prefix}.${k}` : k),
  );
}

describe('the console words', () => {
  const en = wordsFor('en');
  const zh = wordsFor('zh');

  it('has in 中文 every word the English page has', () => {
    // 中文 has more: names the English page shows as their ids (decisions, outcomes, states).
    const missing = leaves(en).filter((path) => !leaves(zh).includes(path) && !path.startsWith('states.'));
    expect(missing).toEqual([]);
  });

  it('has no empty word in either language', () => {
    for (const words of [en, zh])
      for (const path of leaves(words)) {
        const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], words);
        if (typeof value === 'string') expect(value, path).not.toBe('');
      }
  });
});
