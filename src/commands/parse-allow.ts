import type { AllowRule, Locale } from './command.ts';
import { ipv4CidrFix, isIpv4Cidr } from '../domain/ipv4-cidr.ts';
import { isPortSpec, portSpecFix } from '../domain/port-spec.ts';
import { isSecurityGroupId } from '../domain/is-security-group-id.ts';
import { readSpan, startsClause } from './clause-reader.ts';
import { closestWord } from './edit-distance.ts';
import { formatAllowSpec } from './format-grant.ts';
import { directionWords } from './grant-keywords.ts';
import { messagesFor } from './messages.ts';
import { placeholders } from './placeholders.ts';
import type { ParseContext } from './parse-context.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

/** An allow clause as display texts, for suggestions. */
export interface AllowDisplay {
  spec: string;
  direction: 'from' | 'to';
  peer: string;
}

export type AllowOutcome =
  /** Read to its end; `rule` is set only when every part is valid, else `invalid` says why. */
  | { kind: 'read'; rule?: AllowRule; invalid?: string; display: AllowDisplay }
  /** The clause's shape is broken; parsing stops here. */
  | { kind: 'stop'; message: string; display: AllowDisplay };

const protocols = ['tcp', 'udp', 'icmp', 'all'] as const;
function directionOf(token: Token | undefined): 'from' | 'to' | undefined {
  if (token === undefined) return undefined;
  for (const direction of ['from', 'to'] as const) {
    if (directionWords[direction].some((p) => p[0] === token.lower)) return direction;
  }
  return undefined;
}

type SpecResult =
  | { ok: true; protocol: AllowRule['protocol']; ports: string }
  | { ok: false; message: string; display: string };

/** `tcp:3306`, `udp:80,443`, `tcp:8000-8010`, `tcp`, `icmp`, `all`; spaces around `:`, `,`, `-` ignored. */
function parseSpec(raw: string, locale: Locale): SpecResult {
  const m = messagesFor(locale);
  const ph = placeholders[locale];
  const compact = raw
    .trim()
    .replace(/\s*([:,-])\s*/g, '$1')
    .replace(/^([A-Za-z]+)\s+(?=\d)/, '$1:');
  const match = /^([A-Za-z]+)(?::(\S+))?$/.exec(compact);
  const word = match?.[1]?.toLowerCase();
  const portsText = match?.[2];
  const portsDisplay = portsText === undefined ? '' : `:${isPortSpec(portsText) ? portsText : ph.ports}`;
  if (word === undefined || !(protocols as readonly string[]).includes(word)) {
    const near = word === undefined ? undefined : closestWord(word, protocols);
    return {
      ok: false,
      message: m.invalidName('protocol', word ?? compact),
      display: `${near ?? ph.protocol}${portsDisplay}`,
    };
  }
  const protocol = word.toUpperCase() as AllowRule['protocol'];
  if (portsText === undefined || portsText.toLowerCase() === 'all')
    return { ok: true, protocol, ports: 'ALL' };
  if (protocol === 'ICMP' || protocol === 'ALL') {
    return { ok: false, message: m.portsNotAllowed(protocol), display: word };
  }
  if (isPortSpec(portsText)) return { ok: true, protocol, ports: portsText };
  return {
    ok: false,
    message: m.invalidName('ports', portsText),
    display: `${word}:${portSpecFix(portsText) ?? ph.ports}`,
  };
}

type PeerResult = { ok: true; peer: AllowRule['peer'] } | { ok: false; message: string; display: string };

function parsePeer(text: string, locale: Locale): PeerResult {
  if (isSecurityGroupId(text)) return { ok: true, peer: { securityGroupId: text } };
  if (isIpv4Cidr(text)) return { ok: true, peer: { cidr: text } };
  const lower = text.toLowerCase();
  const fix = ipv4CidrFix(text) ?? (isSecurityGroupId(lower) ? lower : undefined);
  return {
    ok: false,
    message: messagesFor(locale).invalidName('peer', text),
    display: fix ?? placeholders[locale].peer,
  };
}

/**
 * After `allow`: `<proto>[:<ports>] from|to <cidr|sg-id>` (`允许 tcp:3306 到 …`, `来自 …`).
 * `upTo` renders the line read so far, for "missing after …" messages.
 */
export function parseAllow(ctx: ParseContext, cursor: TokenCursor, upTo: () => string): AllowOutcome {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const ph = placeholders[locale];
  const unknown: AllowDisplay = { spec: `${ph.protocol}:${ph.ports}`, direction: 'to', peer: ph.peer };
  const isDirection = (t: Token): boolean => directionOf(t) !== undefined;

  if (cursor.atEnd() || startsClause(cursor) || isDirection(cursor.peek() as Token)) {
    return { kind: 'stop', message: m.missing('protocol', upTo()), display: unknown };
  }
  const spec = readSpan(ctx, cursor, isDirection) ?? { text: '' };
  const specResult = parseSpec(spec.text, locale);
  const specDisplay = specResult.ok ? formatAllowSpec(specResult) : specResult.display;
  const direction = directionOf(cursor.peek());
  if (direction === undefined) {
    const words = locale === 'zh' ? '到/来自' : 'to/from';
    return { kind: 'stop', message: m.expected(words, upTo()), display: { ...unknown, spec: specDisplay } };
  }
  cursor.next();
  const peerSpan = cursor.atEnd() || startsClause(cursor) ? undefined : readSpan(ctx, cursor);
  if (peerSpan === undefined) {
    return {
      kind: 'stop',
      message: m.missing('peer', upTo()),
      display: { spec: specDisplay, direction, peer: ph.peer },
    };
  }
  const peerResult = parsePeer(peerSpan.text, locale);
  const display: AllowDisplay = {
    spec: specDisplay,
    direction,
    peer: peerResult.ok ? peerSpan.text : peerResult.display,
  };
  if (!specResult.ok) return { kind: 'read', invalid: specResult.message, display };
  if (!peerResult.ok) return { kind: 'read', invalid: peerResult.message, display };
  return {
    kind: 'read',
    rule: { protocol: specResult.protocol, ports: specResult.ports, direction, peer: peerResult.peer },
    display,
  };
}
