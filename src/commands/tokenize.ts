import { chineseKeywords } from './keywords.ts';

export interface Token {
  /** As written but NFKC-normalised (`ｗｅｂ` is `web`); names keep their case. */
  text: string;
  /** For keyword comparison. */
  lower: string;
  /** Offsets into the line as written, so free text (reasons) is taken verbatim. */
  start: number;
  end: number;
}

const chunkPattern = /\S+/gu;
const runPattern = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
const hanStart = /^\p{Script=Han}/u;

/**
 * Splits on whitespace, and also where Han meets other script, and cuts known Chinese
 * keywords out of Han runs: Chinese is often typed without spaces (`授权Pod安全组给应用web`).
 */
export function tokenize(line: string): Token[] {
  const keywords = chineseKeywords();
  const tokens: Token[] = [];
  const push = (raw: string, start: number): void => {
    const text = raw.normalize('NFKC');
    tokens.push({ text, lower: text.toLowerCase(), start, end: start + raw.length });
  };
  for (const chunk of line.matchAll(chunkPattern)) {
    const chunkStart = chunk.index ?? 0;
    for (const run of chunk[0].matchAll(runPattern)) {
      const runStart = chunkStart + (run.index ?? 0);
      if (hanStart.test(run[0])) segmentHan(run[0], runStart, keywords, push);
      else push(run[0], runStart);
    }
  }
  return tokens;
}

function segmentHan(
  run: string,
  start: number,
  keywords: readonly string[],
  push: (text: string, start: number) => void,
): void {
  let pending = -1;
  let i = 0;
  while (i < run.length) {
    const keyword = keywords.find((k) => run.startsWith(k, i));
    if (keyword === undefined) {
      if (pending < 0) pending = i;
      i += 1;
      continue;
    }
    if (pending >= 0) push(run.slice(pending, i), start + pending);
    pending = -1;
    push(keyword, start + i);
    i += keyword.length;
  }
  if (pending >= 0) push(run.slice(pending), start + pending);
}
