import type { Locale, ParseResult } from './command.ts';
import { closestWord } from './edit-distance.ts';
import { allVerbWords, hasHan, lookupVerb, verbWord } from './keywords.ts';
import { messagesFor } from './messages.ts';
import { maxInputLength, normaliseInput } from './normalise-input.ts';
import { parseExplain } from './parse-explain.ts';
import { parseGrant } from './parse-grant.ts';
import { parseHelp } from './parse-help.ts';
import { parseRequestCommand } from './parse-request-command.ts';
import { parseRequests } from './parse-requests.ts';
import { parseStatus } from './parse-status.ts';
import { failure, replaceToken, suggestFrom } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import { TokenCursor } from './token-cursor.ts';
import { tokenize } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/** Corrected lines are re-parsed for suggestions; each round fixes one word, so a few suffice. */
const maxSuggestionDepth = 4;

/**
 * Reads one chat line (English or 中文) into a command. Never throws: anything it cannot use
 * comes back as `ok: false` with one sentence saying what is wrong and the nearest valid line.
 * The result's locale is the language of the command word (or of the line, when unknown).
 */
export function parseCommand(text: string): ParseResult {
  try {
    return parseLine(text, 0);
  } catch {
    // A bug here must not take the chat handler down; the user still gets an answer.
    return failure('en', 'malformed', messagesFor('en').internal, verbWord('help', 'en'));
  }
}

function parseLine(raw: unknown, depth: number): ParseResult {
  const input = normaliseInput(raw);
  if (input.tooLong) {
    const locale: Locale = typeof raw === 'string' && hasHan(raw.slice(0, 500)) ? 'zh' : 'en';
    return failure(
      locale,
      'malformed',
      messagesFor(locale).tooLong(maxInputLength),
      verbWord('help', locale),
    );
  }
  const tokens = tokenize(input.text);
  const first = tokens[0];
  // A bare mention ("@sgops") asks what the bot can do.
  if (first === undefined) return { ok: true, locale: 'en', command: { kind: 'help' } };

  const reparse = (line: string): ParseResult | undefined =>
    depth < maxSuggestionDepth ? parseLine(line, depth + 1) : undefined;
  const found = lookupVerb(first.lower);
  const ctx: ParseContext = {
    text: input.text,
    tokens,
    locale: found?.locale ?? (hasHan(input.text) ? 'zh' : 'en'),
    reparse,
  };
  if (found === undefined) return unknownVerb(ctx, first);

  const cursor = new TokenCursor(tokens, 1);
  switch (found.verb) {
    case 'grant':
    case 'plan':
    case 'revoke':
      return parseGrant(ctx, cursor, found.verb);
    case 'status':
      return parseStatus(ctx, cursor);
    case 'requests':
      return parseRequests(ctx, cursor);
    case 'approve':
    case 'deny':
    case 'cancel':
    case 'retry':
    case 'rollback':
    case 'repair':
    case 'audit':
      return parseRequestCommand(ctx, cursor, found.verb);
    case 'explain':
      return parseExplain(ctx, cursor);
    case 'help':
      return parseHelp(ctx, cursor);
  }
}

function unknownVerb(ctx: ParseContext, first: Token): ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const near = closestWord(first.lower, allVerbWords());
  if (near !== undefined) {
    const nearLocale = lookupVerb(near)?.locale ?? locale;
    const corrected = replaceToken(ctx, first, near);
    return failure(
      nearLocale,
      'unknown_command',
      messagesFor(nearLocale).unknownCommand(first.text),
      suggestFrom(ctx, corrected, verbWord('help', nearLocale)),
    );
  }
  // "please grant …", "请批准 …": a command word a little later in the line.
  for (const token of ctx.tokens.slice(1, 4)) {
    const later = lookupVerb(token.lower);
    if (later === undefined) continue;
    const fromThere = ctx.text.slice(token.start);
    return failure(
      later.locale,
      'unknown_command',
      messagesFor(later.locale).unknownCommand(first.text),
      suggestFrom(ctx, fromThere, verbWord('help', later.locale)),
    );
  }
  return failure(locale, 'unknown_command', m.unknownCommand(first.text), verbWord('help', locale));
}
