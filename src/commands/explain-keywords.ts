import { grantHead, targetWords } from './grant-keywords.ts';

type Phrases = readonly (readonly string[])[];

/**
 * The words of `explain app|pod <name> … to <target> [<flow>]` and `… dns`, in English and
 * Chinese (`解释 应用 <应用> … 到 <目标>`, `… 域名解析`). `in`/`on` are the grant clauses'.
 */
export const explainWords = {
  app: targetWords.app,
  pod: [['pod'], ['pods']] as Phrases,
  to: [['to'], ['到'], ['访问']] as Phrases,
  /** Optional before a group id: `to sg sg-…`, `到 安全组 sg-…`. */
  sg: grantHead.sg,
  dns: [['dns'], ['域名解析'], ['dns', '解析'], ['解析']] as Phrases,
};

export const flowProtocols = ['tcp', 'udp', 'icmp'] as const;

/** Every phrase list above, for the tokenizer's Chinese keyword table. */
export function explainWordLists(): Phrases[] {
  return Object.values(explainWords);
}
