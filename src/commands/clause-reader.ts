import { closestWord } from './edit-distance.ts';
import { grantClauses } from './grant-keywords.ts';
import type { GrantClause } from './grant-keywords.ts';
import { spanText } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

export const allIntros = grantClauses.flatMap((c) => c.intros);
/** First words of every intro (`as` of `as group` included): they end a name. */
export const clauseWords = [...new Set(allIntros.map((p) => p[0] ?? ''))];

export interface MatchedClause {
  clause: GrantClause;
  phrase: readonly string[];
}

/** The clause with the longest intro here; with `needsValue`, only intros followed by a token. */
export function matchClause(cursor: TokenCursor, needsValue: boolean): MatchedClause | undefined {
  let best: MatchedClause | undefined;
  for (const { clause, intros } of grantClauses) {
    const phrase = cursor.match(intros, needsValue);
    if (phrase !== undefined && phrase.length > (best?.phrase.length ?? 0)) best = { clause, phrase };
  }
  return best;
}

export function startsClause(cursor: TokenCursor): boolean {
  const token = cursor.peek();
  return token !== undefined && clauseWords.includes(token.lower);
}

export interface Span {
  first: Token;
  last: Token;
  /** NFKC text of the span with one pair of surrounding quotes removed. */
  text: string;
}

/**
 * A value: the next token, and any more up to the next clause word (so `app My App!` is one,
 * invalid, name rather than a name followed by noise). Undefined at the end of the line.
 * `stop` adds words that also end the value (`to`/`from` inside `allow`).
 */
export function readSpan(
  ctx: ParseContext,
  cursor: TokenCursor,
  stop: (token: Token) => boolean = () => false,
): Span | undefined {
  const first = cursor.next();
  if (first === undefined) return undefined;
  let last = first;
  while (!cursor.atEnd() && !startsClause(cursor) && !stop(cursor.peek() as Token)) {
    last = cursor.next() as Token;
  }
  return { first, last, text: spanText(ctx, first, last) };
}

/** In a multi-token span, a second token that is a typo of a clause word (`web inn shop`). */
export function clauseTypoIn(ctx: ParseContext, span: Span): { token: Token; fix: string } | undefined {
  if (span.first === span.last) return undefined;
  const second = ctx.tokens[ctx.tokens.indexOf(span.first) + 1];
  if (second === undefined) return undefined;
  // Compare within one script: a stray `b` is no typo of `在`.
  const han = /\p{Script=Han}/u;
  const candidates = clauseWords.filter((w) => han.test(w) === han.test(second.lower));
  const fix = closestWord(second.lower, candidates, { minTolerance: 1 });
  return fix === undefined ? undefined : { token: second, fix };
}
