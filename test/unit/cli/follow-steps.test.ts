import { describe, expect, it } from 'vitest';
import { followSteps } from '../../../src/cli/follow-steps.ts';
import type { StateStatus } from '../../../src/console/workflow-progress.ts';
import { replyTexts, stepLabel } from '../../../src/chat/reply-texts.ts';
import { workflowRegistry } from '../../../workflows/index.ts';

const grant = workflowRegistry.find((w) => w.name === 'grant')!;
const road = [
  'planning',
  'awaitingApproval',
  'ensurePodSecurityGroup',
  'allowDns',
  'ensurePodGroupRules',
  'applyPolicy',
  'recreatePods',
  'verifying',
  'done',
];

/** A grant's statuses as the view gives them: `state` current, the road before it done. */
function at(state: string, overrides: Record<string, StateStatus> = {}): Record<string, StateStatus> {
  const i = road.indexOf(state);
  return {
    ...Object.fromEntries(road.map((s, j) => [s, j < i ? 'done' : j === i ? 'current' : 'pending'])),
    rollingBack: 'pending',
    ...overrides,
  } as Record<string, StateStatus>;
}

const line = (step: string) => ({
  step,
  text: replyTexts.en.stepStarted({ id: 'R1', step: stepLabel('en', 'grant', step) }),
});

describe('the steps sgops say --follow owes a line', () => {
  it('gives an approver each step after the approval once, in order, and none that ran before', () => {
    const steps = followSteps(grant, 'R1', 'en', at('awaitingApproval'), 'awaitingApproval');
    expect(steps.owed(at('awaitingApproval'))).toEqual([]);
    // Only the steps before the message's state, then the rest.
    expect(steps.owed(at('applyPolicy'), 'allowDns')).toEqual([line('ensurePodSecurityGroup')]);
    expect(steps.owed(at('applyPolicy'))).toEqual(
      ['allowDns', 'ensurePodGroupRules', 'applyPolicy'].map(line),
    );
    expect(steps.owed(at('done'))).toEqual(['recreatePods', 'verifying'].map(line));
    expect(steps.owed(at('done'))).toEqual([]);
  });

  it('knows a chat message that announces a step, in either language, and prints it once', () => {
    const steps = followSteps(grant, 'R1', 'zh', at('ensurePodSecurityGroup'), 'ensurePodSecurityGroup');
    const zh = replyTexts.zh.stepStarted({ id: 'R1', step: stepLabel('zh', 'grant', 'allowDns') });
    expect(steps.announcedBy(zh)).toBe('allowDns');
    expect(steps.announcedBy(line('allowDns').text)).toBe('allowDns');
    expect(steps.announcedBy('R1 approved by bob; carrying out the plan.')).toBeNull();
    // Printed from the view first: the chat's own line for it is then a repeat.
    expect(steps.owed(at('allowDns')).map((l) => l.text)).toEqual([
      replyTexts.zh.stepStarted({ id: 'R1', step: stepLabel('zh', 'grant', 'ensurePodSecurityGroup') }),
      zh,
    ]);
    expect(steps.mark('allowDns')).toBe(false);
    expect(steps.mark('applyPolicy')).toBe(true);
    // The current step has started too.
    expect(steps.owed(at('recreatePods')).map((l) => l.step)).toEqual([
      'ensurePodGroupRules',
      'recreatePods',
    ]);
  });

  it('gives a retried step its line again, and not the steps done before it failed', () => {
    const failed = at('applyPolicy', { applyPolicy: 'failed', verifying: 'skipped', done: 'skipped' });
    const steps = followSteps(grant, 'R1', 'en', failed, 'failed');
    expect(steps.owed(at('applyPolicy'))).toEqual([line('applyPolicy')]);
    expect(steps.owed(at('verifying'))).toEqual([line('recreatePods'), line('verifying')]);
  });
});
