import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { grantMachine } from '../../../../workflows/grant/machine.ts';
import type { GrantEvent } from '../../../../workflows/grant/events.ts';
import type { StepName } from '../../../../workflows/grant/types.ts';
import { workStepNames } from '../../../../workflows/grant/types.ts';
import { effectsOf, grantInput, grantOutputs, sendGrant } from '../../../helpers/machine-fixtures.ts';
import type { GrantSnapshot } from '../../../helpers/machine-fixtures.ts';

const at = '2026-01-01T00:00:00Z';
const outputs = grantOutputs(at);

/** A grant walked to its end: `done`, or `active` when it is time-bound. */
function granted(durationMs?: number): GrantSnapshot {
  let [s] = initialTransition(
    grantMachine,
    grantInput('R7K2', {}, durationMs === undefined ? {} : { durationMs }),
  );
  const step = (name: StepName) =>
    sendGrant(s, {
      type: 'step.done',
      step: name,
      attempt: s.context.attempts[name] ?? 0,
      output: outputs[name],
    } as GrantEvent)[0];
  s = step('planning');
  [s] = sendGrant(s, { type: 'approve', by: 'bob', at });
  for (const name of workStepNames) s = step(name);
  return s;
}

const dnsGone = { key: 'ruleMissing:sg-c:ingress:UDP:53', said: { en: 'DNS rule gone', zh: 'DNS 规则缺失' } };
const policyGone = { key: 'policyMissing', said: { en: 'policy gone', zh: '策略缺失' } };
const report = (fingerprint: string, notes = [dnsGone], when = '2026-01-02T00:00:00Z') =>
  ({ type: 'drift', fingerprint, notes, at: when }) as const;
const notices = (actions: Parameters<typeof effectsOf>[0]) =>
  effectsOf(actions).filter((e) => e.type === 'notify');

describe('a live grant told what drifted', () => {
  it('rests in done, still taking reports', () => {
    const s = granted();
    expect(s.value).toBe('done');
    expect(s.context.drift).toBeNull();
  });

  it('tells everyone once when drift is found, and not again for the same finding', () => {
    const [found, actions] = sendGrant(granted(), report('f1'));
    expect(notices(actions)).toEqual([{ type: 'notify', template: 'driftFound', audience: 'everyone' }]);
    expect(found.context.drift).toEqual({
      fingerprint: 'f1',
      notes: [dnsGone],
      since: '2026-01-02T00:00:00Z',
    });
    const [same, quiet] = sendGrant(found, report('f1', [dnsGone], '2026-01-02T00:10:00Z'));
    expect(notices(quiet)).toEqual([]);
    expect(same.context.drift?.since).toBe('2026-01-02T00:00:00Z');
  });

  it('tells again when what drifted changes, and once more when it is put right', () => {
    const [found] = sendGrant(granted(), report('f1'));
    const [worse, more] = sendGrant(found, report('f2', [dnsGone, policyGone], '2026-01-02T01:00:00Z'));
    expect(notices(more)).toEqual([{ type: 'notify', template: 'driftFound', audience: 'everyone' }]);
    expect(worse.context.drift?.notes).toHaveLength(2);
    const [fixed, cleared] = sendGrant(worse, report('', [], '2026-01-02T02:00:00Z'));
    expect(notices(cleared)).toEqual([{ type: 'notify', template: 'driftCleared', audience: 'everyone' }]);
    expect(fixed.context.drift?.notes).toEqual([]);
    expect(notices(sendGrant(fixed, report('', [], '2026-01-02T03:00:00Z'))[1])).toEqual([]);
  });

  it('says nothing when the first look finds nothing', () => {
    const [s, actions] = sendGrant(granted(), report('', []));
    expect(notices(actions)).toEqual([]);
    expect(s.context.drift).toBeNull();
  });

  it('takes reports while a time-bound grant is in force', () => {
    const active = granted(3_600_000);
    expect(active.value).toBe('active');
    const [, actions] = sendGrant(active, report('f1'));
    expect(notices(actions)).toEqual([{ type: 'notify', template: 'driftFound', audience: 'everyone' }]);
  });

  it('ignores a report before the grant has made anything', () => {
    const [s0] = initialTransition(grantMachine, grantInput('R7K3'));
    const [s, actions] = sendGrant(s0, report('f1'));
    expect(s.value).toBe('planning');
    expect(notices(actions)).toEqual([]);
  });
});
