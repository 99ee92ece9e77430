/**
 * The process logger: pino JSON lines with every configured secret masked in the written text.
 * Path-based redaction alone misses a secret logged under an unexpected key or inside a message
 * (an error from a client library that echoes its config), so the final line is masked by value.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { redactedMark } from '../audit/redact-secrets.ts';

/** Shorter secrets are not masked: they would shred ordinary text (as in the audit redactor). */
const minimumSecretLength = 4;

export function createLogger(options: {
  level: string;
  secrets: readonly string[];
  destination?: DestinationStream;
}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const needles = needlesOf(options.secrets);
  const masked: DestinationStream = {
    write(line: string) {
      destination.write(maskLine(line, needles));
    },
  };
  return pino({ level: options.level, redact: ['*.secretKey', '*.token', '*.key'] }, masked);
}

/** Each secret as written and as it appears inside a JSON string (escaped), longest first. */
export function needlesOf(secrets: readonly string[]): string[] {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < minimumSecretLength) continue;
    needles.add(secret);
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...needles].sort((a, b) => b.length - a.length);
}

export function maskLine(line: string, needles: readonly string[]): string {
  let out = line;
  for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(redactedMark);
  return out;
}
