import { ApiException } from '@kubernetes/client-node';
import { AppError, isAppError, toAppError } from '../../src/errors.ts';

interface StatusLike {
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string; group?: string };
}

function parseStatus(body: unknown): StatusLike {
  if (typeof body === 'object' && body !== null) return body as StatusLike;
  if (typeof body !== 'string' || body === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as StatusLike) : {};
  } catch {
    return { message: body };
  }
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The one place Kubernetes failures become AppErrors: the HTTP status of client-node's
 * ApiException (whose body is the Status JSON as a string) decides the code.
 */
export function mapKubernetesError(error: unknown, action: string): AppError {
  if (isAppError(error)) return error;
  if (error instanceof ApiException) {
    const httpStatus = error.code;
    const status = parseStatus(error.body);
    const message = `${action}: ${status.message ?? `HTTP ${httpStatus}`}`;
    const details = {
      httpStatus,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
      ...(status.details?.name === undefined ? {} : { name: status.details.name }),
      ...(status.details?.kind === undefined ? {} : { kind: status.details.kind }),
    };
    const options = { details, cause: error };
    if (httpStatus === 404) return new AppError('K8S_NOT_FOUND', message, options);
    if (httpStatus === 409) {
      // AlreadyExists will not go away by retrying; a stale resourceVersion will after a re-read.
      return new AppError('K8S_CONFLICT', message, {
        ...options,
        retryable: status.reason !== 'AlreadyExists',
      });
    }
    if (httpStatus === 400 || httpStatus === 422) return new AppError('K8S_INVALID', message, options);
    if (httpStatus === 401 || httpStatus === 403) {
      return new AppError('K8S_FORBIDDEN', message, {
        ...options,
        hint: 'Check the Kubernetes token and the RBAC role bound to sgops (it needs pods, events, deployments, replicasets, namespaces and securitygrouppolicies).',
      });
    }
    if (httpStatus === 429 || httpStatus >= 500) return new AppError('K8S_UNAVAILABLE', message, options);
    return new AppError('K8S_INVALID', message, options);
  }
  const code = errorCodeOf(error);
  if (code === 'ETIMEDOUT' || (error as { type?: unknown } | null)?.type === 'request-timeout') {
    return new AppError('TIMEOUT', `${action}: the Kubernetes API did not answer in time`, { cause: error });
  }
  if (code !== undefined && networkCodes.has(code)) {
    return new AppError('NETWORK', `${action}: cannot reach the Kubernetes API (${code})`, {
      cause: error,
      details: { errorCode: code },
      hint: 'Check the API server address in the kubeconfig and that it is reachable from sgops.',
    });
  }
  const mapped = toAppError(error);
  return new AppError(mapped.code, `${action}: ${mapped.message}`, { cause: error });
}
