import { describe, expect, it } from 'vitest';
import { workflowEffectHandlers } from '../../../src/engine/workflow-effects.ts';
import { workflowRegistry } from '../../../workflows/index.ts';
import { phaseOf, restingStates, statePhases } from '../../../workflows/workflow-module.ts';

describe('the workflow registry', () => {
  it('gives meanings only to states its machine has, and a state name one meaning across workflows', () => {
    for (const w of workflowRegistry)
      for (const state of Object.keys(w.phases))
        expect(Object.keys(w.machine.config.states ?? {}), `${w.name}.${state}`).toContain(state);
    expect(statePhases(workflowRegistry)).toMatchObject({
      awaitingApproval: 'waiting',
      done: 'ok',
      failed: 'failed',
      cancelled: 'failed',
    });
    // A state a workflow does not list is sgops at work.
    expect(phaseOf(workflowRegistry[0]!, 'allowDns')).toBe('working');
  });

  it('says a request rests where its workflow ends it, and a grant in force rests too', () => {
    const resting = restingStates(workflowRegistry);
    expect([...resting].sort()).toEqual(
      [
        'active',
        'cancelled',
        'denied',
        'done',
        'expired',
        'failed',
        'lapsed',
        'needsAttention',
        'nothingToRepair',
        'planned',
        'revoked',
        'rolledBack',
      ].sort(),
    );
    expect(resting.has('awaitingApproval')).toBe(false);
    expect(resting.has('expiring')).toBe(false);
  });

  it('refuses a workflow whose state name means something else in another', () => {
    const odd = { name: 'odd', phases: { cancelled: 'ok' as const } };
    expect(() => statePhases([...workflowRegistry, odd])).toThrow(
      /State cancelled is failed in workflow .* but ok in odd/,
    );
  });

  it('gathers the effects workflows bring, and refuses two that claim one type', () => {
    expect(Object.keys(workflowEffectHandlers(workflowRegistry))).toEqual([
      'openRevoke',
      'recordPolicyApproval',
    ]);
    const copy = { name: 'copy', effects: { openRevoke: async () => {} } };
    expect(() => workflowEffectHandlers([...workflowRegistry, copy])).toThrow(
      /grant and copy both handle openRevoke/,
    );
  });
});
