/**
 * Splits text into pieces of at most `maxBytes` UTF-8 bytes (WeCom's text limit is 2048),
 * preferring line breaks and never cutting a character in two. `bytesOf` measures a piece as it
 * will be sent (escaped, for WeCom text), so the limit holds on the wire; it must add up
 * character by character, as escaping does.
 */
export function splitUtf8(
  text: string,
  maxBytes: number,
  bytesOf: (piece: string) => number = (piece) => Buffer.byteLength(piece),
): string[] {
  if (bytesOf(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current.length > 0) pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current.length === 0 ? line : `${current}\n${line}`;
    if (bytesOf(candidate) <= maxBytes) {
      current = candidate;
      continue;
    }
    flush();
    if (bytesOf(line) <= maxBytes) {
      current = line;
      continue;
    }
    // One line too long on its own: cut it by code points.
    let size = 0;
    for (const char of line) {
      const charBytes = bytesOf(char);
      if (size + charBytes > maxBytes) {
        flush();
        size = 0;
      }
      current += char;
      size += charBytes;
    }
  }
  flush();
  return pieces;
}
