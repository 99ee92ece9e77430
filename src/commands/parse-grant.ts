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
  let targetKind: TargetKind;
  if (cursor.accept(targetWords.app) !== undefined) targetKind = 'app';
  else if (cursor.accept(targetWords.serviceAccount) !== undefined) targetKind = 'serviceAccount';
  else {
    return failure(
      locale,
      'malformed',
      m.expected(zh ? '应用' : 'app', upToHere()),
      lenientGrantSuggestion(ctx, verb),
    );
  }

  const parts: GrantParts = { verb, targetKind };
  const options: Options = {};
  const allow: AllowRule[] = [];
  let target: string | undefined;
  let invalid: string | undefined;
  const stop = (message: string, extra: Partial<GrantParts> = {}): ParseResult =>
    failure(
      locale,
      invalid === undefined ? 'malformed' : 'invalid_name',
      invalid ?? message,
      formatGrantParts({ ...parts, ...extra }, locale),
    );

  /** Reads a name into `set` (when valid) and its display into the suggestion. */
  const readName = (field: NameField, set: (value: string) => void, show: (text: string) => void) => {
    const span = readSpan(ctx, cursor);
    if (span === undefined) return stop(m.missing(field, upToHere()));
    const typo = clauseTypoIn(ctx, span);
    if (typo !== undefined && invalid === undefined) {
      const corrected = replaceToken(ctx, typo.token, typo.fix);
      return failure(
        locale,
        'malformed',
        m.unexpected(typo.token.text),
        suggestFrom(ctx, corrected, formatGrantParts(parts, locale)),
      );
    }
    if (validators[field](span.text)) {
      set(span.text);
      show(span.text);
    } else {
      invalid ??= m.invalidName(field, span.text);
      show(fixFor(field, span.text) ?? ph[field]);
    }
    return undefined;
  };

  if (cursor.atEnd()) return stop(m.missing(targetKind, upToHere()));
  const targetProblem = readName(
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
        return stop(m.expected(partial[1] ?? '', upToHere()));
      }
      return stop(m.unexpected(token.text));
    }
    const { clause, phrase } = matched;
    if (!clausesOf[verb].includes(clause)) {
      return stop(m.notForCommand(phrase.join(' '), verbWord(verb, locale)));
    }
    const slot = clause === 'using' || clause === 'asGroup' ? 'groups' : clause;
    if (clause !== 'allow' && seen.has(slot)) {
      return stop(m.duplicate(slot === 'groups' ? 'groups' : clauseField[clause]));
    }
    seen.add(slot);
    cursor.index += phrase.length;
    if (cursor.atEnd() && clause !== 'allow') {
      return stop(m.missing(clauseField[clause], upToHere()), missingPart(clause, parts, ph));
    }
    let problem: ParseResult | undefined;
    switch (clause) {
      case 'namespace':
      case 'clusterId':
        problem = readName(
          clause,
          (v) => (options[clause] = v),
          (t) => (parts[clause] = t),
        );
        break;
      case 'asGroup':
        problem = readName(
          'groupName',
          (name) => (options.groups = { kind: 'named', name }),
          (text) => (parts.groups = { kind: 'named', text }),
        );
        break;
      case 'using': {
        const span = readSpan(ctx, cursor) as NonNullable<ReturnType<typeof readSpan>>;
        const read = readGroupIds(span.text);
        if (read.ids !== undefined) options.groups = { kind: 'existing', ids: read.ids };
        else
          invalid ??= read.duplicate
            ? m.duplicateValue('securityGroupId', read.bad)
            : m.invalidName('securityGroupId', read.bad);
        parts.groups = { kind: 'existing', text: read.ids?.join(',') ?? read.fix ?? ph.securityGroupIds };
        break;
      }
      case 'allow': {
        const outcome = parseAllow(ctx, cursor, upToHere);
        const shown = [...(parts.allow ?? []), outcome.display];
        if (outcome.kind === 'stop') return stop(outcome.message, { allow: shown });
        if (outcome.rule !== undefined) {
          const key = JSON.stringify(outcome.rule);
          if (allow.some((r) => JSON.stringify(r) === key)) return stop(m.duplicate('rule'));
          allow.push(outcome.rule);
        }
        invalid ??= outcome.invalid;
        parts.allow = shown;
        break;
      }
      case 'duration': {
        const span = readSpan(ctx, cursor) as NonNullable<ReturnType<typeof readSpan>>;
        const ms = parseDuration(span.text);
        if (ms === null) invalid ??= m.invalidName('duration', span.text);
        else options.durationMs = ms;
        parts.duration = ms === null ? ph.duration : formatDuration(ms, locale);
        break;
      }
      case 'reason': {
        // `原因：…` arrives with the colon as its own token; it is punctuation, not reason.
        const reason = restFrom(ctx, cursor.peek() as Token).replace(/^[:：]\s*/u, '');
        cursor.index = ctx.tokens.length;
        if (reason === '') return stop(m.missing('reason', upToHere()), { reason: ph.reason });
        options.reason = reason;
        parts.reason = reason;
        break;
      }
    }
    if (problem !== undefined) return problem;
  }

  if (invalid !== undefined || target === undefined) {
    return failure(
      locale,
      'invalid_name',
      invalid ?? m.missing(targetKind, upToHere()),
      formatGrantParts(parts, locale),
    );
  }
  const grantTarget: GrantTarget =
    targetKind === 'app' ? { kind: 'app', app: target } : { kind: 'serviceAccount', serviceAccount: target };
  if (verb === 'revoke') {
    const { namespace, clusterId, reason } = options;
    return {
      ok: true,
      locale,
      command: {
        kind: 'revoke',
        target: grantTarget,
        ...(namespace === undefined ? {} : { namespace }),
        ...(clusterId === undefined ? {} : { clusterId }),
        ...(reason === undefined ? {} : { reason }),
      },
    };
  }
  return {
    ok: true,
    locale,
    command: { kind: verb, target: grantTarget, ...options, ...(allow.length === 0 ? {} : { allow }) },
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
