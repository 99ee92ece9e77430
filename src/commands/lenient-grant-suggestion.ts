import { isAppName } from '../domain/is-app-name.ts';
import { isClusterId } from '../domain/is-cluster-id.ts';
import { isDns1123Label } from '../domain/is-dns1123-label.ts';
import { closestWord } from './edit-distance.ts';
import { formatGrantParts } from './format-grant.ts';
import type { GrantParts } from './format-grant.ts';
import { grantClauses, grantHead, targetWords } from './grant-keywords.ts';
import type { ParseContext } from './parse-context.ts';
import type { Token } from './tokenize.ts';

type Field = 'app' | 'serviceAccount' | 'namespace' | 'clusterId';

const validators: Record<Field, (value: string) => boolean> = {
  app: isAppName,
  serviceAccount: isDns1123Label,
  namespace: isDns1123Label,
  clusterId: isClusterId,
};

const whereClauses = grantClauses.filter((c) => c.clause === 'namespace' || c.clause === 'clusterId');
const whereIntros = whereClauses.flatMap((c) => c.intros);
const singleWords: { word: string; field: Field }[] = [
  ...targetWords.app.filter((p) => p.length === 1).map((p) => ({ word: p[0] ?? '', field: 'app' as const })),
  ...targetWords.serviceAccount
    .filter((p) => p.length === 1)
    .map((p) => ({ word: p[0] ?? '', field: 'serviceAccount' as const })),
  ...whereClauses.flatMap((c) =>
    c.intros.filter((p) => p.length === 1).map((p) => ({ word: p[0] ?? '', field: c.clause as Field })),
  ),
];
const headWords = [...new Set([...Object.values(grantHead), ...Object.values(targetWords)].flat(2))];

function fieldOf(word: string): Field | undefined {
  const exact = singleWords.find((s) => s.word === word);
  if (exact !== undefined) return exact.field;
  // Words of two-word intros (`in cluster`) count for their clause; typos of any of them too.
  const near = closestWord(word, [...singleWords.map((s) => s.word), ...whereIntros.flat()]);
  if (near === undefined) return undefined;
  return (
    singleWords.find((s) => s.word === near)?.field ??
    (whereClauses.find((c) => c.intros.some((p) => p.includes(near)))?.clause as Field | undefined)
  );
}

/**
 * For a grant, plan or revoke whose head words are garbled: keep what can be recognised (the
 * value after `app`/`serviceaccount`, `in`, `on`, or else the first plausible name) and fill
 * the rest with placeholders.
 */
export function lenientGrantSuggestion(ctx: ParseContext, verb: GrantParts['verb']): string {
  const found: Partial<Record<Field, string>> = {};
  let targetKind: GrantParts['targetKind'] = 'app';
  const tokens = ctx.tokens;
  let loose: string | undefined;
  for (let i = 1; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    const field = fieldOf(token.lower);
    if (field !== undefined) {
      if (field === 'serviceAccount') targetKind = 'serviceAccount';
      let j = i + 1;
      while (j < tokens.length && fieldOf((tokens[j] as Token).lower) === field) j += 1;
      const value = tokens[j]?.text;
      if (value !== undefined && found[field] === undefined && validators[field](value)) found[field] = value;
      i = j;
      continue;
    }
    const isKeyword = headWords.includes(token.lower) || closestWord(token.lower, headWords) !== undefined;
    if (!isKeyword && loose === undefined && isAppName(token.text)) loose = token.text;
  }
  const target =
    targetKind === 'app'
      ? (found.app ?? loose)
      : (found.serviceAccount ?? (loose !== undefined && isDns1123Label(loose) ? loose : undefined));
  const parts: GrantParts = { verb, targetKind };
  if (target !== undefined) parts.target = target;
  if (found.namespace !== undefined) parts.namespace = found.namespace;
  if (found.clusterId !== undefined) parts.clusterId = found.clusterId;
  return formatGrantParts(parts, ctx.locale);
}
