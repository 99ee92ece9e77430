import type { ParseResult } from './command.ts';
import { closestWord } from './edit-distance.ts';
import { formatRequests } from './format-command.ts';
import { requestFilterWords } from './keywords.ts';
import { messagesFor } from './messages.ts';
import { failure } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import type { TokenCursor } from './token-cursor.ts';

type Filter = keyof typeof requestFilterWords;
const filters = Object.keys(requestFilterWords) as Filter[];

function filterOf(word: string): Filter | undefined {
  return filters.find((f) => [...requestFilterWords[f].en, ...requestFilterWords[f].zh].includes(word));
}

/** `requests [mine|pending|all]` / `请求列表 [我的|待审批|全部]`; the caller's own requests by default. */
export function parseRequests(ctx: ParseContext, cursor: TokenCursor): ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const token = cursor.next();
  if (token === undefined) return { ok: true, locale, command: { kind: 'requests', filter: 'mine' } };
  const filter = filterOf(token.lower);
  if (filter === undefined) {
    const near = closestWord(
      token.lower,
      filters.flatMap((f) => [...requestFilterWords[f].en, ...requestFilterWords[f].zh]),
    );
    const nearFilter = near === undefined ? undefined : filterOf(near);
    return failure(
      locale,
      'invalid_name',
      m.invalidName('filter', token.text),
      formatRequests(nearFilter ?? 'mine', locale),
    );
  }
  const extra = cursor.peek();
  if (extra !== undefined) {
    return failure(locale, 'malformed', m.unexpected(extra.text), formatRequests(filter, locale));
  }
  return { ok: true, locale, command: { kind: 'requests', filter } };
}
