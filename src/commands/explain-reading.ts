import type { ExplainFlow, ExplainSource, ExplainTarget, ParseResult } from './command.ts';
import { isAppName } from '../domain/is-app-name.ts';
import { isClusterId } from '../domain/is-cluster-id.ts';
import { isDns1123Label } from '../domain/is-dns1123-label.ts';
import { isPodName } from '../domain/is-pod-name.ts';
import { closestWord } from './edit-distance.ts';
import { explainWords } from './explain-keywords.ts';
import { formatExplainParts } from './format-explain.ts';
import type { ExplainParts } from './format-explain.ts';
import { messagesFor } from './messages.ts';
import type { Messages } from './messages.ts';
import { failure, spanText, suggestFrom } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import { fixFor } from './parse-grant.ts';
import { placeholders } from './placeholders.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

export type ExplainName = 'app' | 'pod' | 'namespace' | 'clusterId';

const validators: Record<ExplainName, (value: string) => boolean> = {
  app: isAppName,
  pod: isPodName,
  namespace: isDns1123Label,
  clusterId: isClusterId,
};

/** A nearby valid spelling, for the suggestion only (`My_Pod` → `my-pod`). */
function fixOf(field: ExplainName, value: string): string | undefined {
  if (field !== 'pod') return fixFor(field, value);
  const lower = value.toLowerCase();
  return [lower, lower.replace(/_+/g, '-')].find((c) => c !== value && isPodName(c));
}

/** What parseExplain has read so far, and how it stops; shared by the explain readers. */
export interface ExplainReading {
  ctx: ParseContext;
  cursor: TokenCursor;
  m: Messages;
  ph: (typeof placeholders)['en'];
  /** What the suggestion shows. */
  parts: ExplainParts;
  /** What the command carries: only valid values. */
  value: {
    source?: ExplainSource;
    namespace?: string;
    clusterId?: string;
    target?: ExplainTarget;
    flow?: ExplainFlow;
  };
  /** The first invalid value; once set, every stop reports it. */
  invalid: string | undefined;
  /** The line from the command word to the last token read, for "after …" messages. */
  upToHere(): string;
  stop(message: string, extra?: Partial<ExplainParts>): ParseResult;
  /** A line-level mistake: suggest the corrected line if it parses, else the parts so far. */
  stopWith(message: string, corrected: string, extra?: Partial<ExplainParts>): ParseResult;
  /** Checks one token as a name; the value when valid, and what the suggestion shows either way. */
  name(field: ExplainName, token: Token): { value?: string; shown: string };
  /** In this script, the keyword `token` is one typo away from, if any. */
  typo(token: Token, keywords: readonly string[]): string | undefined;
}

export function explainReading(ctx: ParseContext, cursor: TokenCursor): ExplainReading {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const ph = placeholders[locale];
  const head = ctx.tokens[0] as Token;
  const reading: ExplainReading = {
    ctx,
    cursor,
    m,
    ph,
    parts: { sourceKind: 'app' },
    value: {},
    invalid: undefined,
    upToHere: () => ctx.text.slice(head.start, (cursor.previous() ?? head).end),
    stop: (message, extra = {}) =>
      failure(
        locale,
        reading.invalid === undefined ? 'malformed' : 'invalid_name',
        reading.invalid ?? message,
        formatExplainParts({ ...reading.parts, ...extra }, locale),
      ),
    stopWith: (message, corrected, extra = {}) => {
      const fallback = formatExplainParts({ ...reading.parts, ...extra }, locale);
      if (reading.invalid !== undefined) return failure(locale, 'invalid_name', reading.invalid, fallback);
      return failure(locale, 'malformed', message, suggestFrom(ctx, corrected, fallback));
    },
    name: (field, token) => {
      const text = spanText(ctx, token, token);
      if (validators[field](text)) return { value: text, shown: text };
      reading.invalid ??= m.invalidName(field, text);
      return { shown: fixOf(field, text) ?? ph[field] };
    },
    typo: (token, keywords) => {
      // Compare within one script: a stray `b` is no typo of `到`.
      const han = /\p{Script=Han}/u;
      const candidates = keywords.filter((w) => han.test(w) === han.test(token.lower));
      return closestWord(token.lower, candidates, { minTolerance: 1 });
    },
  };
  return reading;
}

/** The line with `word` put before `token`: `explain app a sg-x` → `explain app a to sg-x`. */
export function insertBefore(ctx: ParseContext, token: Token, word: string): string {
  return `${ctx.text.slice(0, token.start)}${word} ${ctx.text.slice(token.start)}`;
}

/** `app` or `pod` (in either language's words) when the next token is one: what an end is. */
export function acceptAppOrPod(cursor: TokenCursor): 'app' | 'pod' | undefined {
  if (cursor.accept(explainWords.app) !== undefined) return 'app';
  if (cursor.accept(explainWords.pod) !== undefined) return 'pod';
  return undefined;
}
