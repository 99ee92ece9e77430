/**
 * An error a step raises for a person to act on, said in both languages: the error keeps English
 * as its message (logs, audit, CLI) and 中文 beside it, and each chat reader is shown theirs.
 */
import { AppError } from '../../src/errors.ts';
import type { AppErrorOptions, ErrorCode } from '../../src/errors.ts';
import type { Words } from '../../src/domain/words.ts';

export function stepError(
  code: ErrorCode,
  message: Words,
  options: Omit<AppErrorOptions, 'hint' | 'zh'> & { hint?: Words } = {},
): AppError {
  const { hint, ...rest } = options;
  return new AppError(code, message.en, {
    ...rest,
    ...(hint ? { hint: hint.en } : {}),
    zh: { message: message.zh, ...(hint ? { hint: hint.zh } : {}) },
  });
}
