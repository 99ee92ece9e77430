/**
 * WeCom `errcode`s mapped once to sgops's error model. Rate limits and "system busy" are retried
 * later by the caller's queue; configuration mistakes carry a hint for the operator.
 */
import { AppError } from '../../src/errors.ts';

/** The access token expired (42001) or is not valid (40014): fetch a new one and retry once. */
export const tokenErrcodes: ReadonlySet<number> = new Set([42001, 40014]);

/** Try again later: 45009 API rate limit, 45033 too many concurrent calls, -1 system busy. */
const retryLaterErrcodes: ReadonlySet<number> = new Set([45009, 45033, -1]);

const configHints: Record<number, string> = {
  40001: 'The corp secret is wrong: use the Secret of the self-built app (应用管理 → the app → Secret)',
  40013: 'The corp id is wrong: see 我的企业 → 企业信息 → 企业ID',
  40056: 'The agent id is wrong: see 应用管理 → the app → AgentId',
  60020: "This server's IP is not among the app's trusted IPs (企业可信IP)",
  48002: 'The app may not call this API: check its API permissions',
  81013: 'The user id is not a member the app can reach: check the app visibility (可见范围)',
  60011: "The app may not read this department: add it to the app's visible range (可见范围)",
  60003: 'No such department: check the department id (通讯录 → the department → 部门ID)',
};

/** Hinted, but about a user or department the app cannot see, not about its credentials. */
const notCredentialErrcodes: ReadonlySet<number> = new Set([81013, 60011, 60003]);

export function weComApiError(path: string, errcode: number, errmsg: string): AppError {
  const details = { errcode, errmsg, path };
  if (retryLaterErrcodes.has(errcode)) {
    // No chat-specific throttling code exists yet; INTERNAL marked retryable until one does.
    return new AppError('INTERNAL', `WeCom ${path} is rate limited or busy (${errcode})`, {
      retryable: true,
      details: { ...details, rateLimited: errcode !== -1 },
      hint: 'Retried later',
    });
  }
  const hint = configHints[errcode];
  if (hint !== undefined && !notCredentialErrcodes.has(errcode)) {
    return new AppError('CONFIG_INVALID', `WeCom ${path} refused the app's credentials (${errcode})`, {
      details,
      hint,
    });
  }
  return new AppError('INTERNAL', `WeCom ${path} failed with errcode ${errcode}: ${errmsg}`, {
    retryable: false,
    details,
    ...(hint === undefined ? {} : { hint }),
  });
}
