/**
 * The Tencent Cloud emulator's record of writes, for tests that must judge sgops by what reached the
 * cloud rather than by what sgops says. Two views, both the emulator's:
 *
 * - `attempts()`: every write action the emulator counted, applied or refused, in order, from its own
 *   signer log (`signedCalls()`), which keeps the action and the time but not the parameters;
 * - `applied()`: every write the emulator applied, with its parameters (the raw request body), seen
 *   where the emulator lets an applied call through its `after` hold gate (see call-holds.ts).
 *
 * A write action is any VPC action of the emulator that is not a `Describe…`.
 */
import type { TencentCloudEmulator } from '../../adapters/tencentcloud/emulator/index.ts';
import { vpcActions } from '../../adapters/tencentcloud/emulator/vpc-actions.ts';

export const emulatorWriteActions: ReadonlySet<string> = new Set(
  Object.keys(vpcActions).filter((action) => !action.startsWith('Describe')),
);

export interface AppliedWrite {
  action: string;
  params: Record<string, unknown>;
  /** Date.now() when the emulator had applied it. */
  at: number;
}

export interface EmulatorWriteLog {
  attempts(): { action: string; at: string }[];
  applied(): AppliedWrite[];
}

/** Starts recording applied writes now (attempts come from the emulator's log as it is). */
export function emulatorWriteLog(emulator: TencentCloudEmulator): EmulatorWriteLog {
  const applied: AppliedWrite[] = [];
  const holds = emulator.holds;
  const gate = holds.gate.bind(holds);
  holds.gate = (call, when) => {
    if (when === 'after' && emulatorWriteActions.has(call.action)) {
      let params: Record<string, unknown> = {};
      try {
        params = JSON.parse(call.body) as Record<string, unknown>;
      } catch {
        params = { unparsedBody: call.body };
      }
      applied.push({ action: call.action, params, at: Date.now() });
    }
    return gate(call, when);
  };
  return {
    attempts: () =>
      emulator
        .signedCalls()
        .filter((c) => emulatorWriteActions.has(c.action))
        .map((c) => ({ action: c.action, at: c.at })),
    applied: () => applied.map((w) => ({ ...w })),
  };
}
