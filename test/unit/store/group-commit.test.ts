import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../../src/store/group-commit.ts';

describe('group commit', () => {
  it('writes appends that arrive during a write together in the next one, and answers each caller with its own rows in order', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const append = groupCommit(async (entries: number[]) => {
      batches.push(entries);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return entries.map((e) => e * 10);
    });
    const first = append([1]);
    const second = append([2, 3]);
    const third = append([4]);
    release();
    expect(await first).toEqual([10]);
    expect(await second).toEqual([20, 30]);
    expect(await third).toEqual([40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails every caller of a batch that failed, and goes on with the next', async () => {
    let calls = 0;
    const append = groupCommit(async (entries: number[]) => {
      calls += 1;
      if (calls === 1) throw new Error('postgres went away');
      return entries;
    });
    await expect(append([1])).rejects.toThrow('postgres went away');
    expect(await append([2])).toEqual([2]);
  });
});
