import {
  HoldRegistry,
  type HoldView as StandInHoldView,
  type HoldWhen,
} from '../../stand-ins/hold-registry.ts';

/**
 * The emulator's holds (see hold-registry.ts): a hold catches the next call of its API action,
 * only one whose raw body contains its text when given; `after` holds a successful answer.
 */
export interface HoldSpec {
  /** The API action, e.g. `CreateSecurityGroup`. */
  action: string;
  when: HoldWhen;
  /** Only a call whose raw request body contains this text (a request id, a group id). */
  contains?: string;
}

export type HoldView = StandInHoldView<HoldSpec>;

export interface HeldCall {
  action: string;
  body: string;
}

function fields(spec: HoldSpec): Omit<HoldSpec, 'when'> {
  if (typeof spec.action !== 'string' || spec.action === '') throw new RangeError('a hold needs an action');
  if (spec.contains !== undefined && typeof spec.contains !== 'string')
    throw new RangeError('contains must be a string');
  return { action: spec.action, ...(spec.contains === undefined ? {} : { contains: spec.contains }) };
}

function matches(hold: HoldSpec, call: HeldCall): boolean {
  return hold.action === call.action && (hold.contains === undefined || call.body.includes(hold.contains));
}

export class CallHolds extends HoldRegistry<HoldSpec, HeldCall> {
  constructor() {
    super({ noun: 'call', fields, matches });
  }
}
