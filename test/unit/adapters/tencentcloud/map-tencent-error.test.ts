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
    const read = { action: 'DescribeSecurityGroupPolicies', timedOut: false };
    expect(mapTencentError(noAnswer, { ...read, timedOut: true }).code).toBe('TIMEOUT');
    expect(mapTencentError(noAnswer, read)).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('treats a non-200 answer to a read as an internal cloud error, retryable for 5xx', () => {
    const bad = Object.assign(new Error('Bad Gateway'), { httpCode: 502, requestId: '' });
    const read = { action: 'DescribeSecurityGroups', timedOut: false };
    expect(mapTencentError(bad, read)).toMatchObject({ code: 'CLOUD_INTERNAL', retryable: true });
    expect(mapTencentError(bad, read).details.httpStatus).toBe(502);
  });

  it('calls a write without a definite answer (5xx, timeout, cut connection) of unknown outcome', () => {
    const noAnswer = Object.assign(new Error('socket hang up'), { requestId: '', traceId: 't' });
    const gateway = Object.assign(new Error('Service Unavailable'), { httpCode: 503, requestId: '' });
    for (const action of ['CreateSecurityGroup', 'CreateSecurityGroupPolicies', 'DeleteSecurityGroup']) {
      expect(mapTencentError(gateway, { action, timedOut: false })).toMatchObject({
        code: 'CLOUD_OUTCOME_UNKNOWN',
        retryable: true,
        details: { action, httpStatus: 503, transport: 'http' },
      });
      expect(mapTencentError(noAnswer, { action, timedOut: true }).details).toMatchObject({
        transport: 'timeout',
      });
      expect(mapTencentError(noAnswer, { action, timedOut: false })).toMatchObject({
        code: 'CLOUD_OUTCOME_UNKNOWN',
        details: { transport: 'network' },
      });
    }
    // A refusal the gateway states (4xx) and an API error inside HTTP 200 are answers: their codes stay.
    const refused = Object.assign(new Error('Too Many Requests'), { httpCode: 429, requestId: '' });
    expect(mapTencentError(refused, context).code).toBe('CLOUD_INTERNAL');
    expect(mapTencentError(sdkError('InternalError'), context).code).toBe('CLOUD_INTERNAL');
  });
});
