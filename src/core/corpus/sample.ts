/**
 * Choosing which segments go forward, so a user can try 150 before spending hours on 500,000:
 * all of them, a random N (seeded, so the same seed picks the same segments), or a band of the
 * length distribution — one earlier implementation kept responses between the 25th and 50th
 * length percentiles. Also the length histogram the preview draws.
 */
import { seededRandom } from './dedup.ts';

export type SampleSpec =
  | { mode: 'all' }
  | { mode: 'random'; n: number; seed: number }
  /** Segments whose length lies between the `from`-th and `to`-th percentiles (inclusive), optionally N of them at random. */
  | { mode: 'percentile'; from: number; to: number; n?: number; seed?: number };

export interface Sized {
  seq: number;
  chars: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Picks `n` of `items` uniformly with a seeded partial Fisher–Yates shuffle. */
function pickRandom<T>(items: readonly T[], n: number, seed: number): T[] {
  const copy = items.slice();
  const rand = seededRandom(seed);
  const k = Math.min(n, copy.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (copy.length - i));
    const t = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = t;
  }
  return copy.slice(0, k);
}

/** The seqs selected by `spec`, in ascending order. */
export function sampleSegments(items: readonly Sized[], spec: SampleSpec): number[] {
  let chosen: readonly Sized[];
  switch (spec.mode) {
    case 'all':
      chosen = items;
      break;
    case 'random':
      if (!(Number.isInteger(spec.n) && spec.n >= 0)) throw new RangeError(`sample size must be a whole number ≥ 0, got ${spec.n}`);
      chosen = pickRandom(items, spec.n, spec.seed);
      break;
    case 'percentile': {
      if (!(spec.from >= 0 && spec.to <= 100 && spec.from <= spec.to)) throw new RangeError(`percentile band must satisfy 0 ≤ from ≤ to ≤ 100, got ${spec.from}–${spec.to}`);
      const sorted = items.map((i) => i.chars).sort((a, b) => a - b);
      const lo = spec.from === 0 ? -Infinity : percentile(sorted, spec.from);
      const hi = percentile(sorted, spec.to);
      const band = items.filter((i) => i.chars >= lo && i.chars <= hi);
      chosen = spec.n === undefined ? band : pickRandom(band, spec.n, spec.seed ?? 42);
      break;
    }
  }
  return chosen.map((i) => i.seq).sort((a, b) => a - b);
}

export interface Histogram {
  /** Lower edge of each bin; the last bin is [edges[k], max]. */
  edges: number[];
  counts: number[];
  width: number;
}

/** Equal-width histogram of lengths between `min` and `max` (values outside land in the end bins). */
export function lengthHistogram(lengths: Iterable<number>, min: number, max: number, bins = 20): Histogram {
  const width = Math.max(1, Math.ceil((max - min) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const len of lengths) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((len - min) / width)));
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return { edges: counts.map((_, i) => min + i * width), counts, width };
}
