import type { ResourceType } from './resource-types.ts';
import { qualifiedName } from './resource-types.ts';

/** A `meta/v1 Status` body exactly as kube-apiserver writes it. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

/** Thrown inside the simulator to end a request with a Status; never leaves the simulator. */
export class StatusError extends Error {
  readonly status: StatusBody;
  constructor(status: StatusBody) {
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
  }
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  });
}

function details(t: ResourceType, name: string): Record<string, unknown> {
  return { name, ...(t.group === '' ? {} : { group: t.group }), kind: t.plural };
}

export function notFound(t: ResourceType, name: string): StatusError {
  return failure(404, 'NotFound', `${qualifiedName(t)} "${name}" not found`, details(t, name));
}

export function alreadyExists(t: ResourceType, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualifiedName(t)} "${name}" already exists`, details(t, name));
}

export function conflict(t: ResourceType, name: string): StatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(t, name),
  );
}

export interface FieldCause {
  field: string;
  message: string;
  reason?: string;
}

/** 422 Invalid; `t` is the kind refused: a served resource, or an options kind such as `CreateOptions` of meta.k8s.io. */
export function invalid(
  t: Pick<ResourceType, 'kind' | 'group'>,
  name: string,
  causes: FieldCause[],
): StatusError {
  const kindName = t.group === '' ? t.kind : `${t.kind}.${t.group}`;
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return failure(422, 'Invalid', `${kindName} "${name}" is invalid: ${joined}`, {
    name,
    ...(t.group === '' ? {} : { group: t.group }),
    kind: t.kind,
    causes: causes.map((c) => ({
      reason: c.reason ?? 'FieldValueInvalid',
      message: c.message,
      field: c.field,
    })),
  });
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function pathNotFound(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function gone(message: string): StatusError {
  return failure(410, 'Expired', message);
}

/** What kube-apiserver answers a PATCH whose content type the resource does not take: the accepted ones, in its order. */
export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function success(t: ResourceType, name: string, uid?: string): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    message: '',
    reason: '',
    details: { ...details(t, name), ...(uid === undefined ? {} : { uid }) },
    code: 200,
  };
}
