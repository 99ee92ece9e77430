import { describe, expect, it } from 'vitest';
import {
  matchesRequirements,
  parseLabelSelector,
} from '../../../../adapters/kubernetes/simulator/label-selector.ts';
import { matchesLabelSelector } from '../../../../src/domain/label-selector.ts';

describe('label selectors', () => {
  const labels = { app: 'my-app', tier: 'web' };
  it('match equality, inequality and set-based terms', () => {
    expect(matchesRequirements(labels, parseLabelSelector('app=my-app,tier!=db'))).toBe(true);
    expect(matchesRequirements(labels, parseLabelSelector('app in (a, my-app),!missing,tier'))).toBe(true);
    expect(matchesRequirements(labels, parseLabelSelector('app notin (my-app)'))).toBe(false);
    expect(matchesRequirements(labels, parseLabelSelector('app==other'))).toBe(false);
  });

  it('treat an empty selector object as matching everything', () => {
    expect(matchesLabelSelector({}, labels)).toBe(true);
    expect(
      matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels),
    ).toBe(false);
  });
});
