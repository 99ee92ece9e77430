import type { Locale } from './command.ts';

/**
 * Every word the grammar knows, per language. Keywords compare case-insensitively; adding a
 * synonym or a later clause (using, as group, allow, for, because …) starts here.
 */
export type Verb = 'grant' | 'status' | 'approve' | 'deny' | 'help';

export const verbs: readonly Verb[] = ['grant', 'status', 'approve', 'deny', 'help'];

export const verbWords: Record<Verb, Record<Locale, readonly string[]>> = {
  grant: { en: ['grant'], zh: ['授权'] },
  status: { en: ['status'], zh: ['状态', '查询'] },
  approve: { en: ['approve'], zh: ['批准', '同意'] },
  deny: { en: ['deny', 'reject'], zh: ['拒绝', '驳回'] },
  help: { en: ['help', '?'], zh: ['帮助'] },
};

/** Commands planned but not built yet: named as such instead of "unknown". */
export const plannedVerbWords: readonly string[] = [
  'plan',
  'revoke',
  'requests',
  'cancel',
  'retry',
  'rollback',
  'audit',
  '计划',
  '撤销',
  '请求列表',
  '取消',
  '重试',
  '回滚',
  '审计',
];

type Phrases = readonly (readonly string[])[];

/** `grant pod SG to app <app>` / `授权 Pod 安全组 给 应用 <app>`. */
export const grantHead = {
  pod: [['pod'], ['pods']] as Phrases,
  sg: [
    ['sg'],
    ['sgs'],
    ['security', 'group'],
    ['security', 'groups'],
    ['securitygroup'],
    ['security-group'],
    ['安全组'],
  ] as Phrases,
  to: [['to'], ['for'], ['给'], ['为']] as Phrases,
  app: [['app'], ['application'], ['应用']] as Phrases,
};

export type GrantClauseField = 'namespace' | 'clusterId';

/** Optional clauses after the app, in any order; the longest intro wins (`in cluster` over `in`). */
export const grantClauses: readonly { field: GrantClauseField; intros: Phrases }[] = [
  {
    field: 'clusterId',
    intros: [
      ['in', 'cluster'],
      ['on', 'cluster'],
      ['on'],
      ['cluster'],
      ['在', '集群'],
      ['于', '集群'],
      ['于'],
      ['集群'],
    ],
  },
  {
    field: 'namespace',
    intros: [['in', 'namespace'], ['in'], ['namespace'], ['在', '命名空间'], ['在'], ['命名空间']],
  },
];

/** Clause words of later grammar versions; they end a name and are reported as not yet supported. */
export const plannedClauseWords: readonly string[] = [
  'using',
  'as',
  'allow',
  'because',
  'serviceaccount',
  'selector',
  '使用',
  '作为',
  '允许',
  '期限',
  '因为',
  '原因',
];

/** The optional `request` in `status request <id>` / `状态 请求 <id>`. */
export const requestWords: Phrases = [['request'], ['req'], ['请求']];

/** Chinese words the tokenizer cuts out of unspaced Han text (`授权Pod安全组给应用x`). */
export function chineseKeywords(): string[] {
  const words = new Set<string>();
  const han = /\p{Script=Han}/u;
  const add = (w: string): void => {
    if (han.test(w)) words.add(w);
  };
  for (const verb of verbs) for (const w of verbWords[verb].zh) add(w);
  for (const w of plannedVerbWords) add(w);
  for (const phrases of Object.values(grantHead)) for (const p of phrases) p.forEach(add);
  for (const clause of grantClauses) for (const p of clause.intros) p.forEach(add);
  for (const w of plannedClauseWords) add(w);
  for (const p of requestWords) p.forEach(add);
  // Longest first, so 请求列表 wins over 请求.
  return [...words].sort((a, b) => b.length - a.length);
}

export function lookupVerb(word: string): { verb: Verb; locale: Locale } | undefined {
  const lower = word.toLowerCase();
  for (const verb of verbs) {
    for (const locale of ['en', 'zh'] as const) {
      if (verbWords[verb][locale].includes(lower)) return { verb, locale };
    }
  }
  return undefined;
}

export function verbWord(verb: Verb, locale: Locale): string {
  return verbWords[verb][locale][0] ?? verb;
}

export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}
