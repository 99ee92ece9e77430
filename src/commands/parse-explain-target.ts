import type { ExplainTarget, ParseResult } from './command.ts';
import { ipv4CidrFix, isIpv4Cidr } from '../domain/ipv4-cidr.ts';
import { isAppName } from '../domain/is-app-name.ts';
import { isSecurityGroupId } from '../domain/is-security-group-id.ts';
import { acceptAppOrPod, insertBefore } from './explain-reading.ts';
import type { ExplainReading } from './explain-reading.ts';
import { explainWords } from './explain-keywords.ts';
import { fixFor } from './parse-grant.ts';
import { spanText } from './parse-context.ts';
import type { Token } from './tokenize.ts';

type Address = { target: ExplainTarget } | { invalid: string; shown: string };

/** A group id, an IP or a CIDR as written; undefined when the text is none of these, nor close. */
function addressOf(reading: ExplainReading, text: string): Address | undefined {
  const { m, ph } = reading;
  if (isSecurityGroupId(text)) return { target: { kind: 'group', securityGroupId: text } };
  if (text.includes('/') && /^[\d./]+$/.test(text)) {
    if (isIpv4Cidr(text)) return { target: { kind: 'cidr', cidr: text } };
    return { invalid: m.invalidName('cidr', text), shown: ipv4CidrFix(text) ?? ph.cidr };
  }
  if (isIpv4Cidr(`${text}/32`)) return { target: { kind: 'ip', ip: text } };
  if (/^\d+(\.\d*)+$/.test(text)) return { invalid: m.invalidName('ip', text), shown: ph.ip };
  if (/^sg-/i.test(text)) {
    return {
      invalid: m.invalidName('securityGroupId', text),
      shown: fixFor('securityGroupId', text) ?? ph.securityGroupId,
    };
  }
  return undefined;
}

/**
 * After `to`/`到`: `sg-…` (or `sg sg-…`), `app <app>`, `pod <pod>`, an IPv4 address or CIDR, or
 * `dns`. An app or pod target's `in <ns>` is read later with the other clauses.
 */
export function readTarget(reading: ExplainReading): ParseResult | undefined {
  const { ctx, cursor, m, parts, value } = reading;
  if (cursor.atEnd()) return reading.stop(m.missing('target', reading.upToHere()));
  if (cursor.accept(explainWords.dns) !== undefined) {
    value.target = { kind: 'dns' };
    parts.target = { kind: 'dns' };
    return undefined;
  }
  const kind = acceptAppOrPod(cursor);
  if (kind !== undefined) {
    const token = cursor.next();
    if (token === undefined) return reading.stop(m.missing(kind, reading.upToHere()), { target: { kind } });
    const read = reading.name(kind, token);
    if (read.value !== undefined) {
      value.target = kind === 'app' ? { kind, app: read.value } : { kind, pod: read.value };
    }
    parts.target = { kind, name: read.shown };
    return undefined;
  }
  if (cursor.accept(explainWords.sg, true) === undefined && cursor.accept(explainWords.sg) !== undefined) {
    return reading.stop(m.missing('securityGroupId', reading.upToHere()), {
      target: { kind: 'address', text: reading.ph.securityGroupId },
    });
  }
  const token = cursor.next() as Token;
  const text = spanText(ctx, token, token);
  const address = addressOf(reading, text);
  if (address !== undefined && 'target' in address) {
    value.target = address.target;
    parts.target = { kind: 'address', text };
    return undefined;
  }
  if (address !== undefined) {
    reading.invalid ??= address.invalid;
    parts.target = { kind: 'address', text: address.shown };
    return undefined;
  }
  // `to orders`: a name without `app` most likely meant the app.
  const appWord = ctx.locale === 'zh' ? '应用' : 'app';
  const before = ctx.text.slice(ctx.tokens[0]?.start ?? 0, (cursor.tokens[cursor.index - 2] as Token).end);
  if (isAppName(text)) {
    return reading.stopWith(m.expected(appWord, before), insertBefore(ctx, token, appWord), {
      target: { kind: 'app', name: text },
    });
  }
  reading.invalid ??= m.invalidName('target', text);
  parts.target = { kind: 'address', text: reading.ph.target };
  return undefined;
}
