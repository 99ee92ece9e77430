import { describe, expect, it } from 'vitest';
import {
  jsonPatch,
  mergePatch,
  strategicMergePatch,
} from '../../../../adapters/kubernetes/simulator/patch-object.ts';

describe('patches', () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'x:1' },
            { name: 'b', image: 'y:1' },
          ],
        },
      },
    },
  };

  it('merge patches replace lists and delete nulls', () => {
    expect(mergePatch({ a: 1, b: [1, 2], c: { d: 1 } }, { a: null, b: [3], c: { e: 2 } })).toEqual({
      b: [3],
      c: { d: 1, e: 2 },
    });
  });

  it('strategic merge patches merge containers by name and honour directives', () => {
    const patched = strategicMergePatch(deployment, {
      spec: {
        template: {
          spec: {
            $setElementOrder: 1,
            containers: [
              { name: 'b', image: 'y:2' },
              { name: 'a', $patch: 'delete' },
            ],
          },
        },
      },
    });
    expect(patched).toEqual({ spec: { template: { spec: { containers: [{ name: 'b', image: 'y:2' }] } } } });
  });

  it('JSON patches add, replace, remove and test', () => {
    const out = jsonPatch({ a: { b: 1 }, l: [1] }, [
      { op: 'test', path: '/a/b', value: 1 },
      { op: 'replace', path: '/a/b', value: 2 },
      { op: 'add', path: '/l/-', value: 2 },
      { op: 'add', path: '/a/c~1d', value: 'x' },
      { op: 'remove', path: '/l/0' },
    ]);
    expect(out).toEqual({ a: { b: 2, 'c/d': 'x' }, l: [2] });
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow();
  });
});
