import type { ExplainFlow } from './command.ts';
import { closestWord } from './edit-distance.ts';
import { flowProtocols } from './explain-keywords.ts';
import { messagesFor } from './messages.ts';
import type { ParseContext } from './parse-context.ts';
import { placeholders } from './placeholders.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

export type FlowOutcome =
  | { kind: 'read'; flow: ExplainFlow; display: string }
  /** Read, but unusable: `invalid` says why; parsing goes on for a complete suggestion. */
  | { kind: 'invalid'; invalid: string; display: string }
  /** `tcp` without a port: the line stops here. */
  | { kind: 'stop'; message: string; display: string };

const protocolWord = /^([a-z]+)(?::|\d|$)/;

/** The protocol word a token starts with, if it is one (or one typo away, or followed by `:`). */
function protocolOf(token: Token): string | undefined {
  const word = protocolWord.exec(token.lower)?.[1];
  if (word === undefined) return undefined;
  if ((flowProtocols as readonly string[]).includes(word) || word === 'all') return word;
  const near = closestWord(word, flowProtocols, { minTolerance: 1 });
  if (near !== undefined) return word;
  return token.lower.includes(':') ? word : undefined;
}

/** Whether a flow (`tcp:3306`, `udp 53`, `icmp`, or a near miss of one) starts here. */
export function startsFlow(cursor: TokenCursor): boolean {
  const token = cursor.peek();
  return token !== undefined && protocolOf(token) !== undefined;
}

const validPort = /^[1-9]\d{0,4}$/;

/**
 * After the target: `tcp:<port>`, `udp:<port>` or `icmp` (also `TCP 3306`, `tcp : 3306`).
 * One port only, since an explanation follows one packet. Call only where startsFlow holds.
 */
export function readFlow(ctx: ParseContext, cursor: TokenCursor, upTo: () => string): FlowOutcome {
  const m = messagesFor(ctx.locale);
  const ph = placeholders[ctx.locale];
  const first = cursor.next() as Token;
  const pieces = [first.text];
  // `tcp 3306`, `tcp : 3306`: the port may come as the next tokens.
  while (!cursor.atEnd() && /^[:\d]/.test((cursor.peek() as Token).text) && pieces.length < 3) {
    pieces.push((cursor.next() as Token).text);
  }
  const written = pieces.join(' ');
  const compact = written.replace(/\s*:\s*/g, ':').replace(/^([A-Za-z]+)\s*(?=\d)/, '$1:');
  const match = /^([A-Za-z]+)(?::(.*))?$/.exec(compact);
  const word = (match?.[1] ?? '').toLowerCase();
  const port = match?.[2];
  if (word === 'icmp') {
    if (port === undefined || port === '')
      return { kind: 'read', flow: { protocol: 'ICMP' }, display: 'icmp' };
    return { kind: 'invalid', invalid: m.portsNotAllowed('ICMP'), display: 'icmp' };
  }
  if (word === 'tcp' || word === 'udp') {
    if (port === undefined || port === '') {
      return { kind: 'stop', message: m.missing('port', upTo()), display: `${word}:${ph.port}` };
    }
    const number = Number(port);
    if (validPort.test(port) && number <= 65535) {
      const protocol = word === 'tcp' ? 'TCP' : 'UDP';
      return { kind: 'read', flow: { protocol, port: number }, display: `${word}:${number}` };
    }
    return { kind: 'invalid', invalid: m.invalidName('port', port), display: `${word}:${ph.port}` };
  }
  // `all`, `tpc:3306`: say so, and show the nearest protocol when there is one.
  const near = closestWord(word, flowProtocols, { minTolerance: 1 });
  const portShown = port !== undefined && validPort.test(port) && Number(port) <= 65535 ? port : ph.port;
  const display =
    near === undefined ? `${ph.protocol}:${ph.port}` : near === 'icmp' ? 'icmp' : `${near}:${portShown}`;
  return { kind: 'invalid', invalid: m.invalidName('flow', written), display };
}
