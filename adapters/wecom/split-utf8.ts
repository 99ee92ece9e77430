/**
 * Splits text into pieces of at most `maxBytes` UTF-8 bytes (WeCom's text and markdown limit is
 * 2048), preferring line breaks and never cutting a character in two.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (Buffer.byteLength(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current.length > 0) pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current.length === 0 ? line : `${current}\n${line}`;
    if (Buffer.byteLength(candidate) <= maxBytes) {
      current = candidate;
      continue;
    }
    flush();
    if (Buffer.byteLength(line) <= maxBytes) {
      current = line;
      continue;
    }
    // One line too long on its own: cut it by code points.
    let size = 0;
    for (const char of line) {
      const charBytes = Buffer.byteLength(char);
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
