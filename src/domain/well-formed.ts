/**
 * Text that Postgres can store (jsonb refuses a lone UTF-16 surrogate) and the grammar can read:
 * each unpaired surrogate becomes U+FFFD, as String.prototype.toWellFormed does.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(text: string): string {
  return text.replace(loneSurrogate, '\uFFFD');
}
