/**
 * The longest start of `text` that fits in `maxUnits` UTF-16 code units and ends between two
 * graphemes, so no emoji, flag or accented letter is cut in half and no lone surrogate is left
 * (which JSON carries as `\ud83d` and Slack shows as �). Only when a single grapheme is longer
 * than the limit is it cut, then between code points.
 */
export function cutAtGraphemes(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let end = 0;
  for (const { index, segment } of new Intl.Segmenter().segment(text)) {
    if (index + segment.length > maxUnits) break;
    end = index + segment.length;
  }
  if (end > 0) return text.slice(0, end);
  let cut = '';
  for (const codePoint of text) {
    if (cut.length + codePoint.length > maxUnits) break;
    cut += codePoint;
  }
  return cut;
}
