import { describe, expect, it } from 'vitest';
import { chunkOf, fillsChunk, groupByChunk, mergeChunk } from '../../src/core/chunks.ts';

const recs = (...seqs: number[]) => seqs.map((seq) => ({ seq, v: `v${seq}` }));

describe('chunks', () => {
  it('groups by chunk, sorted, later duplicates win', () => {
    const g = groupByChunk([{ seq: 12, v: 'a' }, { seq: 3, v: 'b' }, { seq: 12, v: 'c' }, { seq: 25, v: 'd' }], 10);
    expect([...g.keys()].sort()).toEqual([0, 1, 2]);
    expect(g.get(1)).toEqual([{ seq: 12, v: 'c' }]);
    expect(g.get(0)).toEqual([{ seq: 3, v: 'b' }]);
    expect(chunkOf(999)).toBe(0);
    expect(chunkOf(1000)).toBe(1);
  });
  it('rejects bad seqs', () => {
    expect(() => groupByChunk([{ seq: -1 }])).toThrow(RangeError);
    expect(() => groupByChunk([{ seq: 1.5 }])).toThrow(RangeError);
  });
  it('merges, replacing equal seqs and counting additions', () => {
    const m = mergeChunk(recs(1, 3, 5), [{ seq: 3, v: 'new' }, { seq: 4, v: 'v4' }, { seq: 9, v: 'v9' }]);
    expect(m.records.map((r) => r.seq)).toEqual([1, 3, 4, 5, 9]);
    expect(m.records[1]).toEqual({ seq: 3, v: 'new' });
    expect(m.added).toBe(2);
  });
  it('knows a full chunk', () => {
    expect(fillsChunk(recs(10, 11, 12), 1, 3)).toBe(false);
    expect(fillsChunk(recs(3, 4, 5), 1, 3)).toBe(true);
    expect(fillsChunk(recs(3, 4), 1, 3)).toBe(false);
  });
});
