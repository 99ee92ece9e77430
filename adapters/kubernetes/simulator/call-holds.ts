import {
  HoldRegistry,
  type HoldView as StandInHoldView,
  type HoldWhen,
} from '../../stand-ins/hold-registry.ts';

/**
 * The simulator's holds (see hold-registry.ts): a hold catches the next API request with its verb
 * and resource, in its namespace and for its object name when given; `after` holds a 2xx answer.
 */
export interface HoldSpec {
  /** create, update, patch, delete, get, list. */
  verb: string;
  /** A plural (`deployments`), or with its subresource (`deployments/scale`). */
  resource: string;
  when: HoldWhen;
  /** Only requests in this namespace, and for this object name, when given. */
  namespace?: string;
  name?: string;
}

export type HoldView = StandInHoldView<HoldSpec>;

export interface HeldRequest {
  verb: string;
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
}

function fields(spec: HoldSpec): Omit<HoldSpec, 'when'> {
  for (const field of ['verb', 'resource'] as const)
    if (typeof spec[field] !== 'string' || spec[field] === '')
      throw new RangeError(`a hold needs a ${field}`);
  for (const field of ['namespace', 'name'] as const)
    if (spec[field] !== undefined && typeof spec[field] !== 'string')
      throw new RangeError(`${field} must be a string`);
  return {
    verb: spec.verb,
    resource: spec.resource,
    ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
    ...(spec.name === undefined ? {} : { name: spec.name }),
  };
}

function matches(hold: HoldSpec, request: HeldRequest): boolean {
  return (
    hold.verb === request.verb &&
    hold.resource === request.resource &&
    (hold.namespace === undefined || hold.namespace === request.namespace) &&
    (hold.name === undefined || hold.name === request.name)
  );
}

export class CallHolds extends HoldRegistry<HoldSpec, HeldRequest> {
  constructor() {
    super({ noun: 'request', fields, matches });
  }
}
