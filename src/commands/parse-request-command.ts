import type { ParseResult } from './command.ts';
import { normaliseRequestId } from '../domain/request-id.ts';
import { formatRequestCommand } from './format-command.ts';
import type { RequestVerb } from './format-command.ts';
import { requestWords } from './keywords.ts';
import { messagesFor } from './messages.ts';
import { failure, restFrom, unquote } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

/**
 * `status [request] <id>`, `approve [request] <id> [comment…]`, `deny [request] <id> <reason…>`,
 * `cancel|retry|rollback|repair|audit [request] <id>`. Comments and reasons are the rest of the line
 * verbatim (case, spacing, Chinese kept); the other verbs take nothing after the id.
 */
export function parseRequestCommand(ctx: ParseContext, cursor: TokenCursor, verb: RequestVerb): ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const head = ctx.tokens[0] as Token;
  const upToHere = (): string => ctx.text.slice(head.start, (cursor.previous() ?? head).end);

  cursor.accept(requestWords, true);
  const idToken = cursor.next();
  // People write `approve R7K2P, looks good` and `批准 R7K2P。`: trailing punctuation is not the id.
  const idText = idToken === undefined ? '' : unquote(idToken.text).replace(/[,.;:!?，。；：！？、]+$/u, '');
  // `REQ` and `REQUEST` have the shape of ids, but here they are the word, never an id.
  if (idToken === undefined || requestWords.some((p) => p[0] === idText.toLowerCase())) {
    return failure(
      locale,
      'malformed',
      m.missing('requestId', upToHere()),
      formatRequestCommand(verb, locale, undefined),
    );
  }
  const restToken = cursor.peek();
  const rest = restToken === undefined ? undefined : restFrom(ctx, restToken);
  const requestId = normaliseRequestId(idText);
  const takesText = verb === 'approve' || verb === 'deny';
  if (requestId === null) {
    return failure(
      locale,
      'invalid_name',
      m.invalidName('requestId', idToken.text),
      formatRequestCommand(verb, locale, undefined, takesText ? rest : undefined),
    );
  }
  if (!takesText) {
    if (restToken !== undefined) {
      return failure(
        locale,
        'malformed',
        m.unexpected(restToken.text),
        formatRequestCommand(verb, locale, requestId),
      );
    }
    return { ok: true, locale, command: { kind: verb, requestId } };
  }
  if (verb === 'deny') {
    if (rest === undefined || rest === '') {
      return failure(
        locale,
        'malformed',
        m.missing('reason', upToHere()),
        formatRequestCommand(verb, locale, requestId),
      );
    }
    return { ok: true, locale, command: { kind: 'deny', requestId, reason: rest } };
  }
  return {
    ok: true,
    locale,
    command: { kind: 'approve', requestId, ...(rest === undefined || rest === '' ? {} : { comment: rest }) },
  };
}
