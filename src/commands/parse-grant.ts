import type { FieldName, ParseResult } from './command.ts';
import { isAppName } from '../domain/is-app-name.ts';
import { isClusterId } from '../domain/is-cluster-id.ts';
import { isDns1123Label } from '../domain/is-dns1123-label.ts';
import { closestWord } from './edit-distance.ts';
import { formatGrant, placeholders } from './format-command.ts';
import type { GrantParts } from './format-command.ts';
import { grantClauses, grantHead, plannedClauseWords } from './keywords.ts';
import type { GrantClauseField } from './keywords.ts';
import { messagesFor } from './messages.ts';
import { failure, replaceToken, spanText, suggestFrom } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

type GrantField = 'app' | GrantClauseField;

const validators: Record<GrantField, (value: string) => boolean> = {
  app: isAppName,
  namespace: isDns1123Label,
  clusterId: isClusterId,
};

const allIntros = grantClauses.flatMap((c) => c.intros);
const clauseWords = [...new Set([...allIntros.map((p) => p[0] ?? ''), ...plannedClauseWords])];
const headWords = [...new Set(Object.values(grantHead).flatMap((phrases) => phrases.flat()))];

/**
 * `grant pod SG to app <app> [in <namespace>] [on <cluster-id>]` after the verb. Clauses come
 * in any order; a name runs to the next clause word, so `app My App!` is one (invalid) name.
 * Names are validated as written; a suggestion may offer the lower-cased form, never applies it.
 */
export function parseGrant(ctx: ParseContext, cursor: TokenCursor): ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const head = ctx.tokens[0] as Token;
  const upToHere = (): string => ctx.text.slice(head.start, (cursor.previous() ?? head).end);

  const display: Record<keyof typeof grantHead, string> =
    locale === 'zh'
      ? { pod: 'Pod', sg: '安全组', to: '给', app: '应用' }
      : { pod: 'pod', sg: 'SG', to: 'to', app: 'app' };
  for (const slot of ['pod', 'sg', 'to', 'app'] as const) {
    if (cursor.accept(grantHead[slot]) !== undefined) continue;
    const found = cursor.peek();
    if (found !== undefined && plannedClauseWords.includes(found.lower)) {
      return failure(locale, 'malformed', m.notYetSupported(found.text), lenientGrantSuggestion(ctx));
    }
    return failure(locale, 'malformed', m.expected(display[slot], upToHere()), lenientGrantSuggestion(ctx));
  }

  const values: GrantParts = {};
  const suggestion: GrantParts = {};
  let invalid: string | undefined;
  const stop = (message: string, extra: GrantParts = {}): ParseResult =>
    failure(
      locale,
      invalid === undefined ? 'malformed' : 'invalid_name',
      invalid ?? message,
      formatGrant({ ...suggestion, ...extra }, locale),
    );

  const read = (field: GrantField): ParseResult | undefined => {
    const first = cursor.next();
    if (first === undefined)
      return stop(m.missing(field, upToHere()), { [field]: placeholders[locale][field] });
    let last = first;
    while (!cursor.atEnd() && !startsClause(cursor)) last = cursor.next() as Token;
    if (last !== first) {
      const second = ctx.tokens[ctx.tokens.indexOf(first) + 1] as Token;
      const fix = closestWord(second.lower, clauseWords, { minTolerance: 1 });
      if (fix !== undefined && invalid === undefined) {
        const corrected = replaceToken(ctx, second, fix);
        return failure(
          locale,
          'malformed',
          m.unexpected(second.text),
          suggestFrom(ctx, corrected, formatGrant(suggestion, locale)),
        );
      }
    }
    const value = spanText(ctx, first, last);
    if (validators[field](value)) {
      values[field] = value;
      suggestion[field] = value;
    } else {
      invalid ??= m.invalidName(field as FieldName, value);
      suggestion[field] = fixFor(field, value) ?? placeholders[locale][field];
    }
    return undefined;
  };

  const appProblem = read('app');
  if (appProblem !== undefined) return appProblem;

  const seen = new Set<GrantField>(['app']);
  while (!cursor.atEnd()) {
    const token = cursor.peek() as Token;
    const matched = matchClause(cursor, true) ?? matchClause(cursor, false);
    if (matched === undefined) {
      // Only planned clause words can stop a name without being an intro.
      const rest = ctx.text.slice(token.start).trim();
      return stop(
        plannedClauseWords.includes(token.lower) ? m.notYetSupported(rest) : m.unexpected(token.text),
      );
    }
    const { clause } = matched;
    cursor.index += matched.phrase.length;
    if (seen.has(clause.field)) return stop(m.duplicate(clause.field));
    seen.add(clause.field);
    if (cursor.atEnd()) {
      return stop(m.missing(clause.field, upToHere()), {
        [clause.field]: placeholders[locale][clause.field],
      });
    }
    const problem = read(clause.field);
    if (problem !== undefined) return problem;
  }

  if (invalid !== undefined) return failure(locale, 'invalid_name', invalid, formatGrant(suggestion, locale));
  const app = values.app as string;
  return {
    ok: true,
    locale,
    command: {
      kind: 'grant',
      target: { kind: 'app', app },
      ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
      ...(values.clusterId === undefined ? {} : { clusterId: values.clusterId }),
    },
  };
}

function startsClause(cursor: TokenCursor): boolean {
  const token = cursor.peek();
  return (
    token !== undefined && (cursor.match(allIntros) !== undefined || plannedClauseWords.includes(token.lower))
  );
}

/** The clause with the longest intro here; with `needsValue`, only intros followed by a token. */
function matchClause(
  cursor: TokenCursor,
  needsValue: boolean,
): { clause: (typeof grantClauses)[number]; phrase: readonly string[] } | undefined {
  let best: { clause: (typeof grantClauses)[number]; phrase: readonly string[] } | undefined;
  for (const clause of grantClauses) {
    const phrase = cursor.match(clause.intros, needsValue);
    if (phrase !== undefined && phrase.length > (best?.phrase.length ?? 0)) best = { clause, phrase };
  }
  return best;
}

/** A nearby valid spelling (lower case, '-' for '_'), offered in the suggestion only. */
function fixFor(field: GrantField, value: string): string | undefined {
  if (field === 'app') return undefined;
  const candidates = [value.toLowerCase(), value.toLowerCase().replace(/[_.]+/g, '-')];
  return candidates.find((c) => c !== value && validators[field](c));
}

/**
 * For a grant whose words are garbled: keep what can be recognised (the value after `app`,
 * `in`, `on`, or else the first plausible name) and fill the rest with placeholders.
 */
export function lenientGrantSuggestion(ctx: ParseContext): string {
  const parts: GrantParts = {};
  const tokens = ctx.tokens;
  const fieldOf = (word: string): GrantField | undefined => {
    const exact = [...grantHead.app, ...allIntros].some((p) => p.length === 1 && p[0] === word);
    const w = exact ? word : closestWord(word, [...grantHead.app.flat(), ...allIntros.flat()]);
    if (w === undefined) return undefined;
    if (grantHead.app.some((p) => p[0] === w)) return 'app';
    const single = grantClauses.find((c) => c.intros.some((p) => p.length === 1 && p[0] === w));
    return (single ?? grantClauses.find((c) => c.intros.some((p) => p.includes(w))))?.field;
  };
  let loose: string | undefined;
  for (let i = 1; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    const field = fieldOf(token.lower);
    if (field !== undefined) {
      let j = i + 1;
      while (j < tokens.length && fieldOf((tokens[j] as Token).lower) === field) j += 1;
      const value = tokens[j]?.text;
      if (value !== undefined && parts[field] === undefined && validators[field](value)) parts[field] = value;
      i = j;
      continue;
    }
    const isKeyword = headWords.includes(token.lower) || closestWord(token.lower, headWords) !== undefined;
    if (!isKeyword && loose === undefined && isAppName(token.text)) loose = token.text;
  }
  parts.app ??= loose;
  return formatGrant(parts, ctx.locale);
}
