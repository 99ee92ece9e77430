/**
 * Maps @slack/web-api errors to AppError once: throttling, Slack-side faults and the network are
 * retryable (the notify job retries them); bad tokens and scopes are configuration; the rest
 * (unknown channel, message gone) will not get better by retrying.
 */
import { AppError } from '../../src/errors.ts';

const retryablePlatformErrors = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
const configurationErrors = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
]);

interface WebApiErrorShape {
  code?: string;
  data?: { error?: string; needed?: string };
  statusCode?: number;
  retryAfter?: number;
  message?: string;
}

export function mapSlackError(error: unknown, method: string): AppError {
  if (error instanceof AppError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as WebApiErrorShape;
  const message = `Slack ${method} failed: ${e.data?.error ?? e.message ?? String(error)}`;
  switch (e.code) {
    case 'slack_webapi_platform_error': {
      const slackError = e.data?.error ?? 'unknown';
      const details = { method, slackError, ...(e.data?.needed ? { needed: e.data.needed } : {}) };
      if (retryablePlatformErrors.has(slackError)) {
        return new AppError('NETWORK', message, { details, cause: error });
      }
      if (configurationErrors.has(slackError)) {
        return new AppError('CONFIG_INVALID', message, {
          details,
          cause: error,
          hint: 'Check the Slack bot token and the app scopes (see adapters/slack/README.md)',
        });
      }
      return new AppError('INTERNAL', message, { details, cause: error });
    }
    case 'slack_webapi_rate_limited_error':
      return new AppError('NETWORK', message, {
        details: { method, retryAfter: e.retryAfter },
        cause: error,
      });
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      return new AppError(status >= 500 || status === 429 ? 'NETWORK' : 'INTERNAL', message, {
        details: { method, status },
        cause: error,
      });
    }
    default:
      return new AppError('NETWORK', message, { details: { method }, cause: error });
  }
}
