/**
 * Escapes text for Slack mrkdwn: `<`, `>` and `&` are control characters there, so user-supplied
 * words (a deny reason, an app name) can never become `<!channel>` pings or disguised links.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
