/**
 * Turns Slack's message markup into the plain line the grammar reads: the bot's own mention goes,
 * links, channels and other mentions become their labels, and HTML entities are decoded.
 */
export function plainTextFromSlack(text: string, botUserId: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
      const [target = '', label] = splitOnce(inner, '|');
      if (target.startsWith('@')) {
        if (target.slice(1) === botUserId) return ' ';
        return `@${label ?? target.slice(1)}`;
      }
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
      return label ?? target.replace(/^mailto:/, '');
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}
