/**
 * Token-length percentile sampling: the corpus sampler's band of the length distribution, measured
 * in the model's tokens instead of characters (one earlier implementation kept responses between
 * the 25th and 50th token-length percentiles, seed 42). Reuses the corpus sampler, so the band,
 * the seeded pick and the order of results are the same rule in both units.
 */
import { sampleSegments } from '../corpus/sample.ts';
import type { Measured } from './budget.ts';

export interface TokenBand {
  from: number;
  to: number;
  /** Pick this many of the band at random (seeded); all of the band when absent. */
  n?: number;
  seed?: number;
}

/** Seqs (ascending) whose token length lies between the `from`-th and `to`-th percentiles. */
export function sampleByTokenPercentile(items: readonly Measured[], band: TokenBand): number[] {
  const sized = items.map((m) => ({ seq: m.seq, chars: m.tokens }));
  return sampleSegments(sized, { mode: 'percentile', from: band.from, to: band.to, ...(band.n !== undefined ? { n: band.n } : {}), ...(band.seed !== undefined ? { seed: band.seed } : {}) });
}
