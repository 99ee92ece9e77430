import type { Token } from './tokenize.ts';

/** A read position over the tokens; the grammar's recursive-descent functions share one. */
export class TokenCursor {
  readonly tokens: readonly Token[];
  index: number;

  constructor(tokens: readonly Token[], index = 0) {
    this.tokens = tokens;
    this.index = index;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  next(): Token | undefined {
    const token = this.tokens[this.index];
    if (token !== undefined) this.index += 1;
    return token;
  }

  /** The last token read, for "after …" messages. */
  previous(): Token | undefined {
    return this.tokens[this.index - 1];
  }

  /**
   * The longest of `phrases` that matches here (case-insensitively). With `needsValue`, a phrase
   * only counts when a token follows it, so `in ns` at the end reads as namespace "ns".
   */
  match(phrases: readonly (readonly string[])[], needsValue = false): readonly string[] | undefined {
    let best: readonly string[] | undefined;
    for (const phrase of phrases) {
      if (best !== undefined && phrase.length <= best.length) continue;
      if (needsValue && this.index + phrase.length >= this.tokens.length) continue;
      if (phrase.every((word, i) => this.tokens[this.index + i]?.lower === word)) best = phrase;
    }
    return best;
  }

  /** Consumes the longest matching phrase; returns it, or undefined without moving. */
  accept(phrases: readonly (readonly string[])[], needsValue = false): readonly string[] | undefined {
    const phrase = this.match(phrases, needsValue);
    if (phrase !== undefined) this.index += phrase.length;
    return phrase;
  }
}
