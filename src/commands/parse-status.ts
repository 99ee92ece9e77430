import type { ParseResult } from './command.ts';
import { isAppName } from '../domain/is-app-name.ts';
import { isDns1123Label } from '../domain/is-dns1123-label.ts';
import { clauseTypoIn, matchClause, readSpan } from './clause-reader.ts';
import { formatStatusApp, formatStatusPolicies } from './format-command.ts';
import { targetWords } from './grant-keywords.ts';
import { policyWords } from './keywords.ts';
import { messagesFor } from './messages.ts';
import { failure, replaceToken, suggestFrom } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import { parseRequestCommand } from './parse-request-command.ts';
import { fixFor } from './parse-grant.ts';
import { placeholders } from './placeholders.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

/**
 * `status` alone lists the caller's own requests (the same as `requests mine`: "how are my
 * things going" is what a bare status asks); `status [request] <id>`, `status app <app>
 * [in <ns>]` and `status policies [in <ns>]` narrow it.
 */
export function parseStatus(ctx: ParseContext, cursor: TokenCursor): ParseResult {
  const { locale } = ctx;
  if (cursor.atEnd()) return { ok: true, locale, command: { kind: 'requests', filter: 'mine' } };
  if (cursor.accept(targetWords.app) !== undefined) return parseStatusApp(ctx, cursor);
  if (cursor.accept(policyWords) !== undefined) return parseStatusPolicies(ctx, cursor);
  const result = parseRequestCommand(ctx, cursor, 'status');
  // `status web`: a word that is no request id but is an app name most likely meant the app.
  const word = ctx.tokens[1];
  if (
    !result.ok &&
    result.code === 'invalid_name' &&
    ctx.tokens.length === 2 &&
    word !== undefined &&
    isAppName(word.text) &&
    !/^#?r[a-z0-9]{3,8}$/i.test(word.text)
  ) {
    return { ...result, suggestion: formatStatusApp(word.text, undefined, locale) };
  }
  return result;
}

/** `in <ns>` after an app or `policies`; nothing else may follow. */
function readNamespace(
  ctx: ParseContext,
  cursor: TokenCursor,
  format: (namespace: string | undefined) => string,
): { namespace?: string; problem?: ParseResult; invalid?: string; shown?: string } {
  const { locale } = ctx;
  const m = messagesFor(locale);
  if (cursor.atEnd()) return {};
  const token = cursor.peek() as Token;
  const matched = matchClause(cursor, true) ?? matchClause(cursor, false);
  if (matched?.clause !== 'namespace')
    return { problem: failure(locale, 'malformed', m.unexpected(token.text), format(undefined)) };
  cursor.index += matched.phrase.length;
  const span = readSpan(ctx, cursor);
  if (span === undefined) {
    const upTo = ctx.text.slice(0, (cursor.previous() as Token).end);
    return {
      problem: failure(
        locale,
        'malformed',
        m.missing('namespace', upTo),
        format(placeholders[locale].namespace),
      ),
    };
  }
  if (!cursor.atEnd()) {
    const next = cursor.peek() as Token;
    return {
      problem: failure(
        locale,
        'malformed',
        m.unexpected(next.text),
        format(isDns1123Label(span.text) ? span.text : undefined),
      ),
    };
  }
  if (isDns1123Label(span.text)) return { namespace: span.text };
  return {
    invalid: m.invalidName('namespace', span.text),
    shown: fixFor('namespace', span.text) ?? placeholders[locale].namespace,
  };
}

function parseStatusApp(ctx: ParseContext, cursor: TokenCursor): ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const span = readSpan(ctx, cursor);
  if (span === undefined) {
    return failure(
      locale,
      'malformed',
      m.missing('app', ctx.text),
      formatStatusApp(undefined, undefined, locale),
    );
  }
  const typo = clauseTypoIn(ctx, span);
  if (typo !== undefined) {
    return failure(
      locale,
      'malformed',
      m.unexpected(typo.token.text),
      suggestFrom(
        ctx,
        replaceToken(ctx, typo.token, typo.fix),
        formatStatusApp(undefined, undefined, locale),
      ),
    );
  }
  const app = isAppName(span.text) ? span.text : undefined;
  const where = readNamespace(ctx, cursor, (ns) => formatStatusApp(app, ns, locale));
  if (where.problem !== undefined) return where.problem;
  if (app === undefined) {
    return failure(
      locale,
      'invalid_name',
      m.invalidName('app', span.text),
      formatStatusApp(undefined, where.namespace ?? where.shown, locale),
    );
  }
  if (where.invalid !== undefined) {
    return failure(locale, 'invalid_name', where.invalid, formatStatusApp(app, where.shown, locale));
  }
  return {
    ok: true,
    locale,
    command: {
      kind: 'statusApp',
      app,
      ...(where.namespace === undefined ? {} : { namespace: where.namespace }),
    },
  };
}

function parseStatusPolicies(ctx: ParseContext, cursor: TokenCursor): ParseResult {
  const { locale } = ctx;
  const where = readNamespace(ctx, cursor, (ns) => formatStatusPolicies(ns, locale));
  if (where.problem !== undefined) return where.problem;
  if (where.invalid !== undefined) {
    return failure(locale, 'invalid_name', where.invalid, formatStatusPolicies(where.shown, locale));
  }
  return {
    ok: true,
    locale,
    command: {
      kind: 'statusPolicies',
      ...(where.namespace === undefined ? {} : { namespace: where.namespace }),
    },
  };
}
