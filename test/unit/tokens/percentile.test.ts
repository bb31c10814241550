import { describe, expect, it } from 'vitest';
import { sampleByTokenPercentile } from '../../../src/core/tokens/percentile.ts';

// Token lengths 10, 20, …, 100 on seqs 0..9, listed out of order.
const items = [5, 2, 9, 0, 7, 1, 8, 3, 6, 4].map((seq) => ({ seq, tokens: (seq + 1) * 10 }));

describe('token-length percentile band', () => {
  it('keeps segments between the 25th and 50th percentiles of token length', () => {
    // Nearest rank: p25 = 3rd value (30), p50 = 5th value (50).
    expect(sampleByTokenPercentile(items, { from: 25, to: 50 })).toEqual([2, 3, 4]);
  });

  it('picks N of the band with a seed, the same N for the same seed', () => {
    const a = sampleByTokenPercentile(items, { from: 0, to: 100, n: 4, seed: 42 });
    expect(a).toHaveLength(4);
    expect(sampleByTokenPercentile(items, { from: 0, to: 100, n: 4, seed: 42 })).toEqual(a);
    expect(a).toEqual([...a].sort((x, y) => x - y));
  });

  it('uses tokens, not characters: the band follows the token counts given', () => {
    const flipped = items.map((i) => ({ seq: i.seq, tokens: 110 - i.tokens }));
    expect(sampleByTokenPercentile(flipped, { from: 25, to: 50 })).toEqual([5, 6, 7]);
  });
});
