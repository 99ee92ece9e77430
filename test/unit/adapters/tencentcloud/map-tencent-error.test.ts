import { describe, expect, it } from 'vitest';
import { mapTencentError } from '../../../../adapters/tencentcloud/map-tencent-error.ts';

function sdkError(code: string, requestId = 'req-1') {
  return Object.assign(new Error(`message of ${code}`), { code, requestId, traceId: 'trace-1' });
}

const context = { action: 'CreateSecurityGroupPolicies', timedOut: false };

describe('mapTencentError', () => {
  it.each([
    ['RequestLimitExceeded', 'CLOUD_THROTTLED', true],
    ['InternalError', 'CLOUD_INTERNAL', true],
    ['AuthFailure.SignatureFailure', 'CLOUD_AUTH', false],
    ['AuthFailure.UnauthorizedOperation', 'CLOUD_AUTH', false],
    ['InvalidParameter.Coexist', 'CLOUD_INVALID', false],
    ['InvalidParameterValue.TooLong', 'CLOUD_INVALID', false],
    ['MissingParameter', 'CLOUD_INVALID', false],
    ['UnknownParameter', 'CLOUD_INVALID', false],
    ['ResourceNotFound', 'CLOUD_NOT_FOUND', false],
    ['InvalidSecurityGroupID.NotFound', 'CLOUD_NOT_FOUND', false],
    ['LimitExceeded.SecurityGroupPolicySet', 'CLOUD_QUOTA', false],
    ['ResourceInUse', 'CLOUD_IN_USE', false],
    ['UnsupportedOperation.VersionMismatch', 'CLOUD_VERSION_MISMATCH', true],
    ['UnsupportedOperation.DuplicatePolicy', 'CLOUD_DUPLICATE_RULE', false],
  ])('maps %s to %s', (vendorCode, code, retryable) => {
    const error = mapTencentError(sdkError(vendorCode), context);
    expect(error).toMatchObject({ code, retryable });
    expect(error.details).toMatchObject({ vendorCode, requestId: 'req-1', action: context.action });
  });

  it('gives every auth failure a hint that names what to check', () => {
    expect(mapTencentError(sdkError('AuthFailure.SecretIdNotFound'), context).hint).toMatch(/SecretId/);
    expect(mapTencentError(sdkError('AuthFailure.SignatureExpire'), context).hint).toMatch(/clock/);
  });

  it('does not retry a vendor code it does not know', () => {
    expect(mapTencentError(sdkError('FailedOperation.Something'), context)).toMatchObject({
      code: 'CLOUD_INTERNAL',
      retryable: false,
    });
  });

  it('tells a timeout from a connection failure by the adapter deadline, not the message', () => {
    const noAnswer = Object.assign(new Error('anything'), { requestId: '', traceId: 't' });
    expect(mapTencentError(noAnswer, { ...context, timedOut: true }).code).toBe('TIMEOUT');
    expect(mapTencentError(noAnswer, context)).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('treats a non-200 answer as an internal cloud error, retryable for 5xx', () => {
    const bad = Object.assign(new Error('Bad Gateway'), { httpCode: 502, requestId: '' });
    expect(mapTencentError(bad, context)).toMatchObject({ code: 'CLOUD_INTERNAL', retryable: true });
    expect(mapTencentError(bad, context).details.httpStatus).toBe(502);
  });
});
