/**
 * The process logger: pino JSON lines with every configured secret masked in the written text.
 * Path-based redaction alone misses a secret logged under an unexpected key or inside a message
 * (an error from a client library that echoes its config), so the final line is masked by value.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { maskSecretStrings, secretNeedles } from '../audit/redact-secrets.ts';

export function createLogger(options: {
  level: string;
  /** The secrets, or where to read them when the list grows at run time (see SecretList). */
  secrets: readonly string[] | (() => readonly string[]);
  destination?: DestinationStream;
}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const { secrets } = options;
  const current = typeof secrets === 'function' ? secrets : () => secrets;
  let source = current();
  let needles = needlesOf(source);
  const masked: DestinationStream = {
    write(line: string) {
      // A changed list is a new array: its needles are worked out again only then.
      if (current() !== source) {
        source = current();
        needles = needlesOf(source);
      }
      destination.write(maskSecretStrings(line, needles));
    },
  };
  return pino({ level: options.level, redact: ['*.secretKey', '*.token', '*.key'] }, masked);
}

/** Each secret as written and as it appears inside a JSON string (escaped), longest first. */
function needlesOf(secrets: readonly string[]): string[] {
  return secretNeedles(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]));
}
