/**
 * Numbers for the seed view: how long instructions and responses are (the paper reports
 * mean ± standard deviation in characters) and which languages the set holds. Lengths are
 * UTF-16 code units, i.e. characters for nearly all text.
 */
import type { ImportedSeed } from './types.ts';

export interface LengthStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  p25: number;
  median: number;
  p75: number;
}

export interface SeedStats {
  count: number;
  instruction: LengthStats;
  response: LengthStats;
  /** Pairs per language code, most frequent first. */
  languages: [string, number][];
}

/** Quantile by linear interpolation between closest ranks (the usual "type 7"). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

export function lengthStats(lengths: readonly number[]): LengthStats {
  if (lengths.length === 0) return { count: 0, min: 0, max: 0, mean: 0, std: 0, p25: 0, median: 0, p75: 0 };
  const sorted = [...lengths].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  const variance = sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / sorted.length;
  return {
    count: sorted.length,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    mean,
    std: Math.sqrt(variance),
    p25: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
  };
}

export function seedStats(seeds: readonly Pick<ImportedSeed, 'instruction' | 'response' | 'lang'>[]): SeedStats {
  const languages = new Map<string, number>();
  for (const s of seeds) languages.set(s.lang, (languages.get(s.lang) ?? 0) + 1);
  return {
    count: seeds.length,
    instruction: lengthStats(seeds.map((s) => s.instruction.length)),
    response: lengthStats(seeds.map((s) => s.response.length)),
    languages: [...languages].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  };
}
