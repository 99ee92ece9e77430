import { wellFormed } from '../domain/well-formed.ts';

/** Longer lines are refused rather than cut, so a truncated reason never changes meaning. */
export const maxInputLength = 2000;

export interface NormalisedInput {
  text: string;
  tooLong: boolean;
}

// A Slack user mention (`<@U123>`, `<@U123|name>`), any `@name` (WeCom), `/sgops`, or a bare `sgops`.
const leadingAddress = /^\s*(?:<@[^<>]*>|[@＠]\S+|[/／]sgops(?=\s|$)|sgops(?=\s|$))\s*[:,：，]?\s*/i;

/**
 * Makes a chat line safe before tokenizing: bounded length, well-formed UTF-16, control and
 * format characters gone, leading bot addresses gone, Slack's `<url|text>` links unwrapped.
 * NFKC is applied per token by the tokenizer, so free text (reasons) keeps its punctuation.
 */
export function normaliseInput(raw: unknown): NormalisedInput {
  const text = typeof raw === 'string' ? raw : '';
  if (text.length > maxInputLength) return { text: '', tooLong: true };
  let line = wellFormed(text)
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\p{Cf}/gu, '');
  for (let i = 0; i < 5; i += 1) {
    const stripped = line.replace(leadingAddress, '');
    if (stripped === line) break;
    line = stripped;
  }
  // Slack turns `my.app` into `<http://my.app|my.app>` and channels into `<#C1|name>`.
  line = line.replace(/<[^<>\s|]+\|([^<>]*)>/g, '$1');
  return { text: line.trim(), tooLong: false };
}
