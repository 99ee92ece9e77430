import type { Locale } from './command.ts';
import { explainWordLists } from './explain-keywords.ts';
import { grantWordLists } from './grant-keywords.ts';

/**
 * The command words, per language. Keywords compare case-insensitively; the first word of each
 * list is the canonical one that formatting and suggestions use.
 */
export type Verb =
  | 'grant'
  | 'plan'
  | 'revoke'
  | 'status'
  | 'requests'
  | 'approve'
  | 'deny'
  | 'cancel'
  | 'retry'
  | 'rollback'
  | 'repair'
  | 'audit'
  | 'explain'
  | 'help';

export const verbs: readonly Verb[] = [
  'grant',
  'plan',
  'revoke',
  'status',
  'requests',
  'approve',
  'deny',
  'cancel',
  'retry',
  'rollback',
  'repair',
  'audit',
  'explain',
  'help',
];

export const verbWords: Record<Verb, Record<Locale, readonly string[]>> = {
  grant: { en: ['grant'], zh: ['授权'] },
  plan: { en: ['plan'], zh: ['计划', '预览'] },
  revoke: { en: ['revoke'], zh: ['撤销'] },
  status: { en: ['status'], zh: ['状态', '查询'] },
  requests: { en: ['requests'], zh: ['请求列表'] },
  approve: { en: ['approve'], zh: ['批准', '同意'] },
  deny: { en: ['deny', 'reject'], zh: ['拒绝', '驳回'] },
  cancel: { en: ['cancel'], zh: ['取消'] },
  retry: { en: ['retry'], zh: ['重试'] },
  rollback: { en: ['rollback'], zh: ['回滚'] },
  repair: { en: ['repair'], zh: ['修复'] },
  audit: { en: ['audit'], zh: ['审计'] },
  explain: { en: ['explain'], zh: ['解释'] },
  help: { en: ['help', '?'], zh: ['帮助'] },
};

type Phrases = readonly (readonly string[])[];

/** The optional `request` in `status request <id>` / `状态 请求 <id>`. */
export const requestWords: Phrases = [['request'], ['req'], ['请求']];

/** `status policies` / `状态 策略`. */
export const policyWords: Phrases = [['policies'], ['policy'], ['策略']];

/** `requests [mine|pending|all]` / `请求列表 [我的|待审批|全部]`; the first word of each is canonical. */
export const requestFilterWords: Record<'mine' | 'pending' | 'all', Record<Locale, readonly string[]>> = {
  mine: { en: ['mine', 'my'], zh: ['我的'] },
  pending: { en: ['pending'], zh: ['待审批', '待批准'] },
  all: { en: ['all'], zh: ['全部', '所有'] },
};

/** Chinese words the tokenizer cuts out of unspaced Han text (`授权Pod安全组给应用x`). */
export function chineseKeywords(): string[] {
  const words = new Set<string>();
  const han = /\p{Script=Han}/u;
  const add = (w: string): void => {
    if (han.test(w)) words.add(w);
  };
  for (const verb of verbs) for (const w of verbWords[verb].zh) add(w);
  for (const list of [requestWords, policyWords, ...grantWordLists(), ...explainWordLists()])
    for (const p of list) p.forEach(add);
  for (const filter of Object.values(requestFilterWords)) filter.zh.forEach(add);
  // Longest first, so 请求列表 wins over 请求 and 作为 over 为.
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

/** Every command word in both languages, for "did you mean". */
export function allVerbWords(): string[] {
  return verbs.flatMap((v) => [...verbWords[v].en, ...verbWords[v].zh]);
}

export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}
