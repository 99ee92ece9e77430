import { AppError, type ErrorCode } from '../../src/errors.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';

/**
 * The one place where Tencent Cloud's error codes become sgops error codes. The SDK throws a
 * TencentCloudSDKHttpException: with `code` for an API error, with `httpCode` for a non-200
 * answer, and with neither when the request never got an answer (connection refused, reset,
 * aborted). Vendor code and RequestId stay in `details` for the audit trail.
 *
 * A write without a definite answer — an HTTP 5xx, our deadline, a connection that failed — may
 * have been applied, so it is CLOUD_OUTCOME_UNKNOWN (`details.transport` says which), for the audit
 * trail to show and for nobody to retry blindly. The SDK keeps only the message of a connection
 * error, so a connection refused outright counts as unknown too. An API error inside HTTP 200 is the
 * cloud's own answer and keeps its code.
 */
export interface TencentErrorContext {
  action: string;
  /** True when the adapter's own deadline aborted the call. */
  timedOut: boolean;
}

interface SdkErrorShape {
  code?: unknown;
  httpCode?: unknown;
  requestId?: unknown;
  traceId?: unknown;
  message?: unknown;
}

const authHints: Record<string, string> = {
  'AuthFailure.SignatureFailure':
    'Check that the configured SecretKey belongs to the SecretId (a copy-paste error or a rotated key).',
  'AuthFailure.SecretIdNotFound':
    'Check that the configured SecretId exists and is enabled in CAM (API key management) for this account.',
  'AuthFailure.SignatureExpire':
    'Check the clock of the host running sgops (NTP): requests more than 5 minutes off are refused.',
  'AuthFailure.TokenFailure':
    'The temporary token expired or does not match the SecretId; refresh the STS credentials.',
  'AuthFailure.UnauthorizedOperation':
    'Grant the CAM policy of these credentials the VPC security-group and TKE read actions sgops uses.',
};

function classify(code: string): ErrorCode | undefined {
  const family = (prefix: string) => code === prefix || code.startsWith(`${prefix}.`);
  if (family('RequestLimitExceeded')) return 'CLOUD_THROTTLED';
  if (family('InternalError') || family('ResourceUnavailable')) return 'CLOUD_INTERNAL';
  if (family('AuthFailure')) return 'CLOUD_AUTH';
  if (code === 'UnsupportedOperation.VersionMismatch') return 'CLOUD_VERSION_MISMATCH';
  if (code === 'UnsupportedOperation.DuplicatePolicy') return 'CLOUD_DUPLICATE_RULE';
  if (family('ResourceNotFound') || family('InvalidSecurityGroupID.NotFound')) return 'CLOUD_NOT_FOUND';
  if (family('LimitExceeded')) return 'CLOUD_QUOTA';
  if (family('ResourceInUse')) return 'CLOUD_IN_USE';
  if (
    family('InvalidParameter') ||
    family('InvalidParameterValue') ||
    family('MissingParameter') ||
    family('UnknownParameter') ||
    family('InvalidSecurityGroupID') ||
    family('InvalidAction') ||
    family('NoSuchVersion') ||
    family('UnsupportedRegion') ||
    family('UnsupportedOperation')
  ) {
    return 'CLOUD_INVALID';
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function mapTencentError(error: unknown, context: TencentErrorContext): AppError {
  if (error instanceof AppError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const vendorCode = text(shape.code);
  const requestId = text(shape.requestId);
  const traceId = text(shape.traceId);
  const vendorMessage = text(shape.message) ?? String(error);
  const details: Record<string, unknown> = {
    action: context.action,
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(traceId === undefined ? {} : { traceId }),
  };
  if (vendorCode !== undefined) {
    const code = classify(vendorCode);
    const message = `${context.action} failed: ${vendorCode}: ${vendorMessage}`;
    if (code === undefined) {
      // An unknown vendor code is a surprise, not a reason to hammer the API.
      return new AppError('CLOUD_INTERNAL', message, {
        details,
        cause: error,
        retryable: false,
        hint: 'Tencent Cloud answered with an error code sgops does not know; see details.vendorCode.',
      });
    }
    return new AppError(code, message, { details, cause: error, hint: authHints[vendorCode] });
  }
  const uncertain = (transport: 'http' | 'timeout' | 'network', reason: string) =>
    new AppError('CLOUD_OUTCOME_UNKNOWN', `${context.action} may or may not have been applied: ${reason}`, {
      details: { ...details, transport },
      cause: error,
      hint: 'sgops reads the security group again before it writes again; nothing to do unless it keeps happening.',
    });
  const write = cloudWriteActions.has(context.action);
  if (typeof shape.httpCode === 'number') {
    details.httpStatus = shape.httpCode;
    if (write && shape.httpCode >= 500) return uncertain('http', `HTTP ${shape.httpCode}`);
    return new AppError('CLOUD_INTERNAL', `${context.action} failed with HTTP ${shape.httpCode}`, {
      details,
      cause: error,
      retryable: shape.httpCode >= 500 || shape.httpCode === 429,
    });
  }
  if (write) {
    return uncertain(
      context.timedOut ? 'timeout' : 'network',
      context.timedOut ? 'no answer in time' : `the connection failed: ${vendorMessage}`,
    );
  }
  if (context.timedOut) {
    return new AppError('TIMEOUT', `${context.action} got no answer from Tencent Cloud in time`, {
      details,
      cause: error,
      hint: 'Check network reachability of the Tencent Cloud API endpoint from this host.',
    });
  }
  return new AppError('NETWORK', `${context.action} could not reach Tencent Cloud: ${vendorMessage}`, {
    details,
    cause: error,
    hint: 'Check DNS, proxy and firewall settings toward the Tencent Cloud API endpoint.',
  });
}
