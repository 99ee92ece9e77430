import type { ParseResult } from './command.ts';
import { isAppName } from '../domain/is-app-name.ts';
import { acceptAppOrPod, explainReading, insertBefore } from './explain-reading.ts';
import type { ExplainReading } from './explain-reading.ts';
import { explainWords } from './explain-keywords.ts';
import { formatExplainParts } from './format-explain.ts';
import { grantClauses } from './grant-keywords.ts';
import { failure, replaceToken } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import { readFlow, startsFlow } from './parse-explain-flow.ts';
import { readTarget } from './parse-explain-target.ts';
import { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

/** `in <ns>` and `on <cluster>` with the grant's intros (`in namespace`, `on cluster`, `在`, `于` …). */
const whereClauses = grantClauses.filter((c) => c.clause === 'namespace' || c.clause === 'clusterId');
const firstWords = (phrases: readonly (readonly string[])[]): string[] => phrases.map((p) => p[0] ?? '');
/** Keywords a mistyped word may have meant, by where it stands. */
const sourceWords = [...firstWords(explainWords.app), ...firstWords(explainWords.pod)];
const whereWords = whereClauses.flatMap((c) => firstWords(c.intros));
const afterSource = [...firstWords(explainWords.to), ...firstWords(explainWords.dns), ...whereWords];

type Phase = 'source' | 'target' | 'flow';

/**
 * After `explain`/`解释`: `app <app>` or `pod <pod>`, then `to <target>` (see readTarget) or
 * `dns`, then at most one flow (`tcp:3306`, `udp:53`, `icmp`). `in <ns>` and `on <cluster>` may
 * come anywhere after the source, once each; an `in` after an app or pod target is that target's
 * namespace, anywhere else the source's (so `explain app web dns in shop` reads as meant).
 */
export function parseExplain(ctx: ParseContext, cursor: TokenCursor): ParseResult {
  const reading = explainReading(ctx, cursor);
  const { m, parts, value } = reading;
  const sourceProblem = readSource(reading);
  if (sourceProblem !== undefined) return sourceProblem;

  let phase: Phase = 'source';
  const seen = new Set<string>();
  while (!cursor.atEnd()) {
    const token = cursor.peek() as Token;
    const where = matchWhere(cursor);
    if (where !== undefined) {
      const problem = readWhere(reading, where, phase, seen);
      if (problem !== undefined) return problem;
      continue;
    }
    if (phase === 'source') {
      if (cursor.accept(explainWords.dns) !== undefined) {
        value.target = { kind: 'dns' };
        parts.target = { kind: 'dns' };
      } else if (cursor.accept(explainWords.to) !== undefined) {
        const problem = readTarget(reading);
        if (problem !== undefined) return problem;
      } else return missingTo(reading, token);
      phase = 'target';
      continue;
    }
    if (!startsFlow(cursor)) return unexpected(reading, token, whereWords);
    if (parts.target?.kind === 'dns') return reading.stop(m.noFlowForDns(token.text));
    if (phase === 'flow') return reading.stop(m.duplicate('flow'));
    const outcome = readFlow(reading.ctx, cursor, reading.upToHere);
    parts.flow = outcome.display;
    if (outcome.kind === 'stop') return reading.stop(outcome.message);
    if (outcome.kind === 'invalid') reading.invalid ??= outcome.invalid;
    else value.flow = outcome.flow;
    phase = 'flow';
  }

  const { source, target } = value;
  if (reading.invalid !== undefined || source === undefined || target === undefined) {
    if (parts.target === undefined) return reading.stop(m.expected(toWord(reading), reading.upToHere()));
    return failure(
      ctx.locale,
      'invalid_name',
      reading.invalid ?? m.missing('target', reading.upToHere()),
      formatExplainParts(parts, ctx.locale),
    );
  }
  return {
    ok: true,
    locale: ctx.locale,
    command: {
      kind: 'explain',
      source,
      ...(value.namespace === undefined ? {} : { namespace: value.namespace }),
      ...(value.clusterId === undefined ? {} : { clusterId: value.clusterId }),
      target,
      ...(value.flow === undefined ? {} : { flow: value.flow }),
    },
  };
}

const toWord = (reading: ExplainReading): string => (reading.ctx.locale === 'zh' ? '到' : 'to');

/** `app <app>` or `pod <pod>` right after the command word. */
function readSource(reading: ExplainReading): ParseResult | undefined {
  const { cursor, m, parts, value } = reading;
  const kind = acceptAppOrPod(cursor);
  if (kind === undefined) return missingSourceKind(reading);
  parts.sourceKind = kind;
  const token = cursor.peek();
  // `explain app to sg-…`, `explain app dns`: the name was left out; an app may still be called
  // "to" (`explain app to to sg-…`) or "dns" (`explain app dns dns`).
  const after = new TokenCursor(cursor.tokens, cursor.index + 1);
  const keywordFollows =
    after.match(explainWords.to) !== undefined ||
    after.match(explainWords.dns) !== undefined ||
    matchWhere(after) !== undefined;
  const missing = m.missing(kind, reading.upToHere());
  if (token === undefined) return reading.stop(missing);
  if (cursor.match(explainWords.to) !== undefined && !after.atEnd() && !keywordFollows) {
    return reading.stop(missing);
  }
  if (cursor.match(explainWords.dns) !== undefined && after.atEnd()) {
    return reading.stop(missing, { target: { kind: 'dns' } });
  }
  cursor.next();
  const read = reading.name(kind, token);
  if (read.value !== undefined) {
    value.source = kind === 'app' ? { kind, app: read.value } : { kind, pod: read.value };
  }
  parts.source = read.shown;
  return undefined;
}

/** `explain web to …` (no `app`), `explain ap web …` (a typo), or nothing after `explain`. */
function missingSourceKind(reading: ExplainReading): ParseResult {
  const { ctx, cursor, m } = reading;
  const appWord = ctx.locale === 'zh' ? '应用' : 'app';
  const token = cursor.peek();
  const expected = m.expected(appWord, reading.upToHere());
  if (token === undefined) return reading.stop(expected);
  const near = reading.typo(token, sourceWords);
  if (near !== undefined) return reading.stopWith(m.unexpected(token.text), replaceToken(ctx, token, near));
  if (isAppName(token.text)) return reading.stopWith(expected, insertBefore(ctx, token, appWord));
  return reading.stop(expected);
}

interface MatchedWhere {
  clause: 'namespace' | 'clusterId';
  phrase: readonly string[];
}

/** The longest `in`/`on` intro here, preferring one that a value follows (`in cluster cls-…`). */
function matchWhere(cursor: TokenCursor): MatchedWhere | undefined {
  for (const needsValue of [true, false]) {
    let best: MatchedWhere | undefined;
    for (const { clause, intros } of whereClauses) {
      const phrase = cursor.match(intros, needsValue);
      if (phrase !== undefined && phrase.length > (best?.phrase.length ?? 0)) {
        best = { clause: clause as MatchedWhere['clause'], phrase };
      }
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

function readWhere(
  reading: ExplainReading,
  where: MatchedWhere,
  phase: Phase,
  seen: Set<string>,
): ParseResult | undefined {
  const { cursor, m, ph, parts, value } = reading;
  const named = parts.target?.kind === 'app' || parts.target?.kind === 'pod' ? parts.target : undefined;
  const target = where.clause === 'namespace' && phase !== 'source' ? named : undefined;
  const slot = target !== undefined ? 'targetNamespace' : where.clause;
  if (seen.has(slot)) return reading.stop(m.duplicate(where.clause));
  seen.add(slot);
  cursor.index += where.phrase.length;
  const token = cursor.next();
  if (token === undefined) {
    const missing = m.missing(where.clause, reading.upToHere());
    if (target !== undefined) {
      return reading.stop(missing, { target: { ...target, namespace: ph.namespace } });
    }
    return reading.stop(missing, { [where.clause]: ph[where.clause] });
  }
  const read = reading.name(where.clause, token);
  if (target !== undefined) {
    target.namespace = read.shown;
    const t = value.target;
    if (read.value !== undefined && (t?.kind === 'app' || t?.kind === 'pod')) t.namespace = read.value;
    return undefined;
  }
  parts[where.clause] = read.shown;
  if (read.value !== undefined) value[where.clause] = read.value;
  return undefined;
}

/** After the source, neither `to` nor `dns`: the word left out, a typo of one, or noise. */
function missingTo(reading: ExplainReading, token: Token): ParseResult {
  const { ctx, cursor, m } = reading;
  const looksLikeTarget =
    /^(sg-|\d+\.)/i.test(token.text) ||
    [explainWords.app, explainWords.pod, explainWords.sg].some((p) => cursor.match(p) !== undefined);
  if (looksLikeTarget) {
    return reading.stopWith(
      m.expected(toWord(reading), reading.upToHere()),
      insertBefore(ctx, token, toWord(reading)),
    );
  }
  if (startsFlow(cursor)) return reading.stop(m.expected(toWord(reading), reading.upToHere()));
  return unexpected(reading, token, afterSource);
}

function unexpected(reading: ExplainReading, token: Token, keywords: readonly string[]): ParseResult {
  const near = reading.typo(token, keywords);
  const message = reading.m.unexpected(token.text);
  if (near === undefined) return reading.stop(message);
  return reading.stopWith(message, replaceToken(reading.ctx, token, near));
}
