/**
 * Events the grant machine accepts. Every event carries who/when from outside: the machine never
 * reads a clock. The workers stamp step results and timers with `at`, when they deliver them.
 */
import type { StepResultEvent } from '../shared/machine/step-result-event.ts';
import type { DriftNote, StepName, StepOutputs } from './types.ts';

export type GrantEvent =
  | StepResultEvent<StepName, StepOutputs>
  /** `as`: the sign-off sets the approver counts for (the policy decides, at the decision); absent: the namespace. */
  | { type: 'approve'; by: string; at: string; comment?: string; as?: string[] }
  | { type: 'deny'; by: string; at: string; reason: string }
  | { type: 'cancel'; by: string; at: string }
  | { type: 'retry'; by: string; at: string }
  | { type: 'rollback'; by: string; at: string }
  | { type: 'timer.approvalTimeout'; at?: string }
  | { type: 'timer.approvalReminder'; seq?: number; at?: string }
  | { type: 'timer.expiryWarning'; at?: string }
  | { type: 'timer.grantExpiry'; at?: string }
  /** A revoke of this grant's access was opened (by a person, or by sgops at expiry): the grant ends. */
  | { type: 'revoke'; revokeRequestId: string; by: string; at: string }
  /** At its end, another live grant (`coveredBy`) still gives the same access: nothing is revoked. */
  | { type: 'lapse'; coveredBy: string; at: string }
  /** The drift watch looked: what differs from what the grant made now (`notes` empty: nothing). */
  | { type: 'drift'; fingerprint: string; notes: DriftNote[]; at: string };
