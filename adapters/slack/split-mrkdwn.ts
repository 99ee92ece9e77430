/**
 * Splits (already escaped) mrkdwn into pieces Slack accepts: a section's text is at most 3000
 * characters. Cuts fall on line breaks, then spaces; never inside an entity (`&amp;`), a ``` fence or
 * a surrogate pair; a ``` fence cut in two is closed at the end of one piece and reopened in the next.
 */
export const slackSectionLimit = 3000;

const fence = '```';

export function splitMrkdwn(text: string, limit: number = slackSectionLimit): string[] {
  if (limit < 32) throw new RangeError('limit too small to split mrkdwn');
  const room = limit - (fence.length + 1) * 2; // space to close and reopen a fence
  const pieces: string[] = [];
  let rest = text;
  let reopen = false;
  while (rest.length > 0) {
    const head = reopen ? `${fence}\n` : '';
    if (head.length + rest.length <= limit) {
      pieces.push(head + rest);
      break;
    }
    const cut = cutPoint(rest, room);
    let piece = rest.slice(0, cut).replace(/\n+$/, '');
    rest = rest.slice(cut).replace(/^\n+/, '');
    const fences: number = (reopen ? 1 : 0) + countFences(piece);
    reopen = fences % 2 === 1;
    if (reopen) piece += `\n${fence}`;
    pieces.push(head + piece);
  }
  return pieces.filter((p) => p.trim().length > 0);
}

/** Truncates to `max` characters, ending with `note` when something was cut. */
export function truncateMrkdwn(text: string, max: number, note = '…'): string {
  if (text.length <= max) return text;
  const cut = cutPoint(text, Math.max(1, max - note.length - 1));
  return `${text.slice(0, cut).trimEnd()}\n${note}`.slice(0, max);
}

function cutPoint(text: string, max: number): number {
  if (text.length <= max) return text.length;
  const newline = text.lastIndexOf('\n', max);
  if (newline > max / 2) return newline + 1;
  const space = text.lastIndexOf(' ', max);
  let cut = space > max / 2 ? space + 1 : max;
  // Never between the backticks of a fence ("`" and "``" on either side would each be plain text):
  // inside a run of backticks, cut on a fence boundary counted from the run's start.
  if (text[cut - 1] === '`' && text[cut] === '`') {
    let runStart = cut - 1;
    while (runStart > 0 && text[runStart - 1] === '`') runStart -= 1;
    cut = runStart + Math.floor((cut - runStart) / fence.length) * fence.length;
  }
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 6 && !text.slice(amp, cut).includes(';')) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(1, cut);
}

function countFences(text: string): number {
  return text.split(fence).length - 1;
}
