/**
 * Makes text inert in a WeCom text message. WeCom renders `<a href="…">` tags in text messages
 * (and drops tags it does not know), and sgops' texts carry words people typed — a deny reason, a
 * `because`, an app name — so `<`, `>` and `&` go out as entities and reach every reader as typed.
 */
export function escapeWeComText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The UTF-8 size of `text` once escaped: what WeCom's 2048-byte limit counts. */
export function escapedWeComTextBytes(text: string): number {
  return Buffer.byteLength(escapeWeComText(text));
}
