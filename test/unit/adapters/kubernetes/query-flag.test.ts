import { describe, expect, it } from 'vitest';
import { queryFlag } from '../../../../adapters/kubernetes/simulator/query-flag.ts';

describe('a boolean query parameter, read as kube-apiserver reads it', () => {
  const flag = (query: string) => queryFlag(new URLSearchParams(query), 'watch');

  it('is false when absent, "0" or "false" in any case', () => {
    for (const query of ['', 'other=1', 'watch=0', 'watch=false', 'watch=False', 'watch=FALSE']) {
      expect(flag(query), query).toBe(false);
    }
  });

  it('is true for any other value, the Python client\'s "True" and an empty value included', () => {
    for (const query of ['watch=true', 'watch=True', 'watch=1', 'watch=t', 'watch=yes', 'watch=', 'watch']) {
      expect(flag(query), query).toBe(true);
    }
  });
});
