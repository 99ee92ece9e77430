import type { AllowRule, GrantOptions, GrantTarget, ParseResult } from './command.ts';
import { isAppName } from '../domain/is-app-name.ts';
import { isClusterId } from '../domain/is-cluster-id.ts';
import { isDns1123Label } from '../domain/is-dns1123-label.ts';
import { isSecurityGroupId } from '../domain/is-security-group-id.ts';
import { isSecurityGroupName } from '../domain/is-security-group-name.ts';
import { parseDuration } from '../domain/parse-duration.ts';
import { allIntros, clauseTypoIn, matchClause, readSpan } from './clause-reader.ts';
import { formatDuration } from './format-duration.ts';
import { formatGrantParts } from './format-grant.ts';
import type { GrantParts } from './format-grant.ts';
import { clausesOf, grantHead, targetWords } from './grant-keywords.ts';
import type { GrantClause, TargetKind } from './grant-keywords.ts';
import { verbWord } from './keywords.ts';
import { lenientGrantSuggestion } from './lenient-grant-suggestion.ts';
import { messagesFor } from './messages.ts';
import { parseAllow } from './parse-allow.ts';
import { failure, replaceToken, restFrom, suggestFrom } from './parse-context.ts';
import type { ParseContext } from './parse-context.ts';
import { placeholders } from './placeholders.ts';
import type { TokenCursor } from './token-cursor.ts';
import type { Token } from './tokenize.ts';

export type GrantVerb = 'grant' | 'plan' | 'revoke';
type NameField = 'app' | 'serviceAccount' | 'namespace' | 'clusterId' | 'groupName';

const validators: Record<NameField, (value: string) => boolean> = {
  app: isAppName,
  serviceAccount: isDns1123Label,
  namespace: isDns1123Label,
  clusterId: isClusterId,
  groupName: isSecurityGroupName,
};

/** A nearby valid spelling (lower case, '-' for '_' and '.'), offered in the suggestion only. */
export function fixFor(field: NameField | 'securityGroupId', value: string): string | undefined {
  if (field === 'app' || field === 'groupName') return undefined;
  const valid = field === 'securityGroupId' ? isSecurityGroupId : validators[field];
  const lower = value.toLowerCase();
  return [lower, lower.replace(/[_.]+/g, '-')].find((c) => c !== value && valid(c));
}

/** The field a clause reports in "missing" and "given twice" messages. */
const clauseField = {
  namespace: 'namespace',
  clusterId: 'clusterId',
  using: 'securityGroupId',
  asGroup: 'groupName',
  allow: 'protocol',
  duration: 'duration',
  reason: 'reason',
} as const satisfies Record<GrantClause, string>;

type Options = Omit<GrantOptions, 'target'>;

/**
 * After `grant`/`plan`: `pod SG to app <app> | serviceaccount <sa>` and then, in any order,
 * `in <ns>`, `on <cluster>`, `using <sg-id,…>` or `as group <name>`, `allow …` (repeatable),
 * `for <duration>`, `because <reason…>` (the rest of the line). After `revoke`: `pod SG from …`
 * with `in`, `on` and `because` only. Names are validated as written; a suggestion may offer a
 * corrected spelling but the command never carries one.
 */
export function parseGrant(ctx: ParseContext, cursor: TokenCursor, verb: GrantVerb): ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const ph = placeholders[locale];
  const head = ctx.tokens[0] as Token;
  const upToHere = (): string => ctx.text.slice(head.start, (cursor.previous() ?? head).end);
  const targetKind = readGrantHead(ctx, cursor, verb, upToHere);
  if (typeof targetKind !== 'string') return targetKind;

  const reading: GrantReading = {
    ctx,
    cursor,
    m,
    ph,
    upToHere,
    parts: { verb, targetKind },
    options: {},
    allow: [],
    invalid: undefined,
    stop: (message, extra = {}) =>
      failure(
        locale,
        reading.invalid === undefined ? 'malformed' : 'invalid_name',
        reading.invalid ?? message,
        formatGrantParts({ ...reading.parts, ...extra }, locale),
      ),
    readName: (field, set, show) => {
      const span = readSpan(ctx, cursor);
      if (span === undefined) return reading.stop(m.missing(field, upToHere()));
      const typo = clauseTypoIn(ctx, span);
      if (typo !== undefined && reading.invalid === undefined) {
        const corrected = replaceToken(ctx, typo.token, typo.fix);
        return failure(
          locale,
          'malformed',
          m.unexpected(typo.token.text),
          suggestFrom(ctx, corrected, formatGrantParts(reading.parts, locale)),
        );
      }
      if (validators[field](span.text)) {
        set(span.text);
        show(span.text);
      } else {
        reading.invalid ??= m.invalidName(field, span.text);
        show(fixFor(field, span.text) ?? ph[field]);
      }
      return undefined;
    },
  };
  const { parts, options, allow } = reading;

  let target: string | undefined;
  if (cursor.atEnd()) return reading.stop(m.missing(targetKind, upToHere()));
  const targetProblem = reading.readName(
    targetKind,
    (v) => (target = v),
    (t) => (parts.target = t),
  );
  if (targetProblem !== undefined) return targetProblem;

  const seen = new Set<string>();
  while (!cursor.atEnd()) {
    const token = cursor.peek() as Token;
    const matched = matchClause(cursor, true) ?? matchClause(cursor, false);
    if (matched === undefined) {
      // `as` without `group`: say which word is missing rather than "not understood".
      const partial = allIntros.find((p) => p.length > 1 && p[0] === token.lower);
      if (partial !== undefined) {
        cursor.next();
        return reading.stop(m.expected(partial[1] ?? '', upToHere()));
      }
      return reading.stop(m.unexpected(token.text));
    }
    const { clause, phrase } = matched;
    if (!clausesOf[verb].includes(clause)) {
      return reading.stop(m.notForCommand(phrase.join(' '), verbWord(verb, locale)));
    }
    const slot = clause === 'using' || clause === 'asGroup' ? 'groups' : clause;
    if (clause !== 'allow' && seen.has(slot)) {
      return reading.stop(m.duplicate(slot === 'groups' ? 'groups' : clauseField[clause]));
    }
    seen.add(slot);
    cursor.index += phrase.length;
    if (cursor.atEnd() && clause !== 'allow') {
      return reading.stop(m.missing(clauseField[clause], upToHere()), missingPart(clause, parts, ph));
    }
    const problem = readClause(reading, clause);
    if (problem !== undefined) return problem;
  }

  if (reading.invalid !== undefined || target === undefined) {
    return failure(
      locale,
      'invalid_name',
      reading.invalid ?? m.missing(targetKind, upToHere()),
      formatGrantParts(parts, locale),
    );
  }
  return grantCommand(
    locale,
    verb,
    targetKind === 'app' ? { kind: 'app', app: target } : { kind: 'serviceAccount', serviceAccount: target },
    options,
    allow,
  );
}

/** What parseGrant has read so far, and how it stops or reads a name; shared with readClause. */
interface GrantReading {
  ctx: ParseContext;
  cursor: TokenCursor;
  m: ReturnType<typeof messagesFor>;
  ph: (typeof placeholders)['en'];
  upToHere(): string;
  /** What the suggestion shows. */
  parts: GrantParts;
  /** What the command carries: only valid values. */
  options: Options;
  allow: AllowRule[];
  /** The first invalid name; once set, every stop reports it. */
  invalid: string | undefined;
  stop(message: string, extra?: Partial<GrantParts>): ParseResult;
  /** Reads a name into `set` (when valid) and its display into the suggestion. */
  readName(
    field: NameField,
    set: (value: string) => void,
    show: (text: string) => void,
  ): ParseResult | undefined;
}

/** `pod SG to|from` and then `app` or `serviceaccount`: the target's kind, or why the line is malformed. */
function readGrantHead(
  ctx: ParseContext,
  cursor: TokenCursor,
  verb: GrantVerb,
  upToHere: () => string,
): TargetKind | ParseResult {
  const { locale } = ctx;
  const m = messagesFor(locale);
  const zh = locale === 'zh';
  const headSlots = [
    { phrases: grantHead.pod, word: zh ? 'Pod' : 'pod' },
    { phrases: grantHead.sg, word: zh ? '安全组' : 'SG' },
    verb === 'revoke'
      ? { phrases: grantHead.from, word: zh ? '从' : 'from' }
      : { phrases: grantHead.to, word: zh ? '给' : 'to' },
  ];
  for (const slot of headSlots) {
    if (cursor.accept(slot.phrases) !== undefined) continue;
    return failure(locale, 'malformed', m.expected(slot.word, upToHere()), lenientGrantSuggestion(ctx, verb));
  }
  if (cursor.accept(targetWords.app) !== undefined) return 'app';
  if (cursor.accept(targetWords.serviceAccount) !== undefined) return 'serviceAccount';
  return failure(
    locale,
    'malformed',
    m.expected(zh ? '应用' : 'app', upToHere()),
    lenientGrantSuggestion(ctx, verb),
  );
}

/** Reads one clause's value, its intro already taken; a ParseResult when the line stops here. */
function readClause(reading: GrantReading, clause: GrantClause): ParseResult | undefined {
  const { ctx, cursor, m, ph, parts, options, allow } = reading;
  switch (clause) {
    case 'namespace':
    case 'clusterId':
      return reading.readName(
        clause,
        (v) => (options[clause] = v),
        (t) => (parts[clause] = t),
      );
    case 'asGroup':
      return reading.readName(
        'groupName',
        (name) => (options.groups = { kind: 'named', name }),
        (text) => (parts.groups = { kind: 'named', text }),
      );
    case 'using': {
      const span = readSpan(ctx, cursor) as NonNullable<ReturnType<typeof readSpan>>;
      const read = readGroupIds(span.text);
      if (read.ids !== undefined) options.groups = { kind: 'existing', ids: read.ids };
      else
        reading.invalid ??= read.duplicate
          ? m.duplicateValue('securityGroupId', read.bad)
          : m.invalidName('securityGroupId', read.bad);
      parts.groups = { kind: 'existing', text: read.ids?.join(',') ?? read.fix ?? ph.securityGroupIds };
      return undefined;
    }
    case 'allow': {
      const outcome = parseAllow(ctx, cursor, reading.upToHere);
      const shown = [...(parts.allow ?? []), outcome.display];
      if (outcome.kind === 'stop') return reading.stop(outcome.message, { allow: shown });
      if (outcome.rule !== undefined) {
        const key = JSON.stringify(outcome.rule);
        if (allow.some((rule) => JSON.stringify(rule) === key)) return reading.stop(m.duplicate('rule'));
        allow.push(outcome.rule);
      }
      reading.invalid ??= outcome.invalid;
      parts.allow = shown;
      return undefined;
    }
    case 'duration': {
      const span = readSpan(ctx, cursor) as NonNullable<ReturnType<typeof readSpan>>;
      const ms = parseDuration(span.text);
      if (ms === null) reading.invalid ??= m.invalidName('duration', span.text);
      else options.durationMs = ms;
      parts.duration = ms === null ? ph.duration : formatDuration(ms, ctx.locale);
      return undefined;
    }
    case 'reason': {
      // `原因：…` arrives with the colon as its own token; it is punctuation, not reason.
      const reason = restFrom(ctx, cursor.peek() as Token).replace(/^[:：]\s*/u, '');
      cursor.index = ctx.tokens.length;
      if (reason === '') return reading.stop(m.missing('reason', reading.upToHere()), { reason: ph.reason });
      options.reason = reason;
      parts.reason = reason;
      return undefined;
    }
  }
}

/** The command a valid line says: a revoke carries only its target, namespace, cluster and reason. */
function grantCommand(
  locale: ParseContext['locale'],
  verb: GrantVerb,
  target: GrantTarget,
  options: Options,
  allow: AllowRule[],
): ParseResult {
  if (verb === 'revoke') {
    const { namespace, clusterId, reason } = options;
    return {
      ok: true,
      locale,
      command: {
        kind: 'revoke',
        target,
        ...(namespace === undefined ? {} : { namespace }),
        ...(clusterId === undefined ? {} : { clusterId }),
        ...(reason === undefined ? {} : { reason }),
      },
    };
  }
  return {
    ok: true,
    locale,
    command: { kind: verb, target, ...options, ...(allow.length === 0 ? {} : { allow }) },
  };
}

/** The placeholder a clause shows when its value is missing at the end of the line. */
function missingPart(
  clause: GrantClause,
  parts: GrantParts,
  ph: (typeof placeholders)['en'],
): Partial<GrantParts> {
  switch (clause) {
    case 'namespace':
      return { namespace: ph.namespace };
    case 'clusterId':
      return { clusterId: ph.clusterId };
    case 'using':
      return { groups: { kind: 'existing', text: ph.securityGroupIds } };
    case 'asGroup':
      return { groups: { kind: 'named', text: ph.groupName } };
    case 'duration':
      return { duration: ph.duration };
    case 'reason':
      return { reason: ph.reason };
    case 'allow':
      return { allow: [...(parts.allow ?? [])] };
  }
}

type GroupIds =
  { ids: string[]; fix?: undefined } | { ids?: undefined; bad: string; duplicate: boolean; fix?: string };

/** `sg-a,sg-b` (also `sg-a, sg-b` and `sg-a、sg-b`): distinct security group ids. */
function readGroupIds(text: string): GroupIds {
  const items = text.split(/\s*[,、]\s*/u);
  const words = text
    .toLowerCase()
    .split(/[\s,、]+/u)
    .filter((w) => w !== '');
  const fix = words.length > 0 && words.every(isSecurityGroupId) ? [...new Set(words)].join(',') : undefined;
  // An empty item (`sg-a,,sg-b`, a trailing comma) is shown as the whole list, not as “”.
  const badItem = items.find((item) => !isSecurityGroupId(item));
  const bad = badItem === '' ? text : badItem;
  if (bad !== undefined) return { bad, duplicate: false, ...(fix === undefined ? {} : { fix }) };
  const duplicate = items.find((item, i) => items.indexOf(item) !== i);
  if (duplicate !== undefined)
    return { bad: duplicate, duplicate: true, ...(fix === undefined ? {} : { fix }) };
  return { ids: items };
}
