import type { Locale, ParseFailure, ParseResult, ParseErrorCode } from './command.ts';
import { formatCommand } from './format-command.ts';
import type { Token } from './tokenize.ts';

/** What every sub-parser gets: the normalised line, its tokens, and a way to try a corrected line. */
export interface ParseContext {
  text: string;
  tokens: readonly Token[];
  locale: Locale;
  /** Parses a corrected line (bounded depth), for "did you mean" suggestions. */
  reparse(text: string): ParseResult | undefined;
}

export function failure(
  locale: Locale,
  code: ParseErrorCode,
  message: string,
  suggestion: string,
): ParseFailure {
  return { ok: false, locale, code, message, suggestion };
}

/** The line with one token replaced by `word`. */
export function replaceToken(ctx: ParseContext, token: Token, word: string): string {
  return ctx.text.slice(0, token.start) + word + ctx.text.slice(token.end);
}

/** The canonical form of a corrected line if it parses, else its own suggestion, else `fallback`. */
export function suggestFrom(ctx: ParseContext, corrected: string, fallback: string): string {
  const result = ctx.reparse(corrected);
  if (result === undefined) return fallback;
  return result.ok ? formatCommand(result.command, result.locale) : result.suggestion;
}

/** The verbatim text from `token` to the end of the line. */
export function restFrom(ctx: ParseContext, token: Token): string {
  return ctx.text.slice(token.start).trim();
}

/** Text of the tokens [from, to] (NFKC), with one pair of surrounding quotes removed. */
export function spanText(ctx: ParseContext, from: Token, to: Token): string {
  return unquote(ctx.text.slice(from.start, to.end).normalize('NFKC'));
}

export function unquote(value: string): string {
  const pairs: [string, string][] = [
    ['"', '"'],
    ["'", "'"],
    ['`', '`'],
    ['“', '”'],
    ['「', '」'],
  ];
  for (const [open, close] of pairs) {
    if (value.length >= 2 && value.startsWith(open) && value.endsWith(close)) return value.slice(1, -1);
  }
  return value;
}
