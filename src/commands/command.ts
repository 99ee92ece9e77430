/** What a chat line means once parsed; the rest of sgops only ever sees these shapes. */
export type Locale = 'en' | 'zh';

export type Command =
  | { kind: 'grant'; target: { kind: 'app'; app: string }; namespace?: string; clusterId?: string }
  | { kind: 'status'; requestId: string }
  | { kind: 'approve'; requestId: string; comment?: string }
  | { kind: 'deny'; requestId: string; reason: string }
  | { kind: 'help'; topic?: string };

export type ParseErrorCode = 'unknown_command' | 'malformed' | 'invalid_name';

export type ParseResult =
  | { ok: true; command: Command; locale: Locale }
  | { ok: false; locale: Locale; code: ParseErrorCode; message: string; suggestion: string };

export type ParseFailure = Extract<ParseResult, { ok: false }>;

/** Fields whose syntax is checked; named in invalid_name messages. */
export type FieldName = 'app' | 'namespace' | 'clusterId' | 'requestId';
