import { describe, expect, it } from 'vitest';
import { zhState, zhStateNamed } from '../../../src/chat/state-names.ts';
import { workflowRegistry } from '../../../workflows/index.ts';
import { workflowGraph } from '../../../src/console/workflow-graph.ts';

describe('states told in 中文', () => {
  const states = [
    ...new Set(workflowRegistry.flatMap((w) => workflowGraph(w.machine).states.map((s) => s.id))),
  ];

  it.each(states)('names %s in 中文', (state) => {
    expect(zhStateNamed(state)).toBe(true);
    expect(zhState(state)).toMatch(/\p{Script=Han}/u);
  });
});
