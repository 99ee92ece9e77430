import type { ParseResult } from './command.ts';
import { closestWord } from './edit-distance.ts';
import { allVerbWords, lookupVerb, verbWord } from './keywords.ts';
import { messagesFor } from './messages.ts';
import { failure } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import type { TokenCursor } from './token-cursor.ts';

/** `help [command]` / `帮助 [命令]`; the topic is the command's canonical English verb. */
export function parseHelp(ctx: ParseContext, cursor: TokenCursor): ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const help = verbWord('help', locale);
  const topicToken = cursor.next();
  if (topicToken === undefined) return { ok: true, locale, command: { kind: 'help' } };
  const known = lookupVerb(topicToken.lower);
  if (known !== undefined) return { ok: true, locale, command: { kind: 'help', topic: known.verb } };
  const near = closestWord(topicToken.lower, allVerbWords());
  const nearVerb = near === undefined ? undefined : lookupVerb(near);
  return failure(
    locale,
    'unknown_command',
    m.unknownHelpTopic(topicToken.text),
    nearVerb === undefined ? help : `${help} ${verbWord(nearVerb.verb, locale)}`,
  );
}
