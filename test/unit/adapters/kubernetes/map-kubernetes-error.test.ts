import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { mapKubernetesError } from '../../../../adapters/kubernetes/map-kubernetes-error.ts';

const status = (code: number, reason: string, message: string) =>
  new ApiException(code, 'HTTP error', JSON.stringify({ kind: 'Status', code, reason, message }), {});

describe('mapKubernetesError', () => {
  it('maps API statuses to stable codes with the Status message', () => {
    expect(mapKubernetesError(status(404, 'NotFound', 'pods "x" not found'), 'get pods')).toMatchObject({
      code: 'K8S_NOT_FOUND',
      message: 'get pods: pods "x" not found',
      details: { httpStatus: 404, reason: 'NotFound' },
    });
    expect(mapKubernetesError(status(409, 'Conflict', 'modified'), 'update x')).toMatchObject({
      code: 'K8S_CONFLICT',
      retryable: true,
    });
    expect(mapKubernetesError(status(409, 'AlreadyExists', 'exists'), 'create x')).toMatchObject({
      code: 'K8S_CONFLICT',
      retryable: false,
    });
    expect(mapKubernetesError(status(422, 'Invalid', 'bad'), 'create x').code).toBe('K8S_INVALID');
    expect(mapKubernetesError(status(400, 'BadRequest', 'bad'), 'create x').code).toBe('K8S_INVALID');
    expect(
      mapKubernetesError(new ApiException(401, 'Unauthorized', undefined, {}), 'list nodes'),
    ).toMatchObject({
      code: 'K8S_FORBIDDEN',
      hint: expect.stringContaining('token'),
    });
    expect(mapKubernetesError(status(503, 'ServiceUnavailable', 'down'), 'list pods')).toMatchObject({
      code: 'K8S_UNAVAILABLE',
      retryable: true,
    });
  });

  it('maps refused connections to NETWORK', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(mapKubernetesError(refused, 'list pods')).toMatchObject({ code: 'NETWORK', retryable: true });
  });
});
