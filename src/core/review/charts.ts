/**
 * Numbers for the review screen's small SVG charts — score histograms per round, the funnel,
 * length distributions — and the bar geometry to draw them, so the components only map
 * rectangles to <rect>. Pure, and cheap enough to recompute on every filter change.
 */
import type { PairTally, RoundScores } from '../export/tally.ts';
import type { PairRow } from './query.ts';

export interface Bin {
  /** Lower edge (inclusive). */
  x0: number;
  /** Upper edge (exclusive, except the last bin, which includes it). */
  x1: number;
  count: number;
}

/** Counts `values` into bins between ascending `edges` (n edges → n−1 bins); values outside are ignored. */
export function histogram(values: Iterable<number>, edges: readonly number[]): Bin[] {
  const bins: Bin[] = [];
  for (let i = 0; i + 1 < edges.length; i++) bins.push({ x0: edges[i] as number, x1: edges[i + 1] as number, count: 0 });
  const last = edges[edges.length - 1];
  const first = edges[0];
  if (bins.length === 0 || last === undefined || first === undefined) return bins;
  for (const v of values) {
    if (!Number.isFinite(v) || v < first || v > last) continue;
    // binary search for the last edge ≤ v
    let lo = 0;
    let hi = bins.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((edges[mid] as number) <= v) lo = mid;
      else hi = mid - 1;
    }
    (bins[lo] as Bin).count++;
  }
  return bins;
}

/** A round step (1, 2, 2.5 or 5 × 10^k) so that about `target` bins cover [0, max]. */
export function niceStep(max: number, target: number): number {
  if (!(max > 0) || target < 1) return 1;
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  return step;
}

/** Edges 0, step, 2·step … up to the first edge ≥ max (at least one bin). */
export function niceEdges(max: number, target = 20): number[] {
  const step = niceStep(max, target);
  const edges = [0];
  while ((edges[edges.length - 1] as number) < max || edges.length < 2) edges.push(edges.length * step);
  return edges;
}

/** Length distribution of the rows' responses (or instructions) in round-numbered bins. */
export function lengthDistribution(rows: readonly PairRow[], field: 'chars' | 'instructionChars' = 'chars', target = 20): Bin[] {
  let max = 0;
  for (const r of rows) if (r[field] > max) max = r[field];
  return histogram(rows.map((r) => r[field]), niceEdges(max, target));
}

export interface ScoreCounts {
  /** Index 0 = score 1. */
  scores: [number, number, number, number, number];
  /** Rows rated in the round but without a score. */
  unscored: number;
}

/** Integer score counts of the rows rated in `round` (rows of any round when undefined). */
export function scoreCounts(rows: readonly PairRow[], round?: number): ScoreCounts {
  const out: ScoreCounts = { scores: [0, 0, 0, 0, 0], unscored: 0 };
  for (const r of rows) {
    if (r.round === null || (round !== undefined && r.round !== round)) continue;
    const s = r.score === null ? null : Math.round(r.score);
    if (s !== null && s >= 1 && s <= 5) out.scores[s - 1] = (out.scores[s - 1] ?? 0) + 1;
    else out.unscored++;
  }
  return out;
}

/** A round's integer score counts from an export tally, as bins [k, k+1). */
export function roundBins(r: RoundScores): Bin[] {
  return r.scores.map((count, i) => ({ x0: i + 1, x1: i + 2, count }));
}

export interface FunnelStep {
  label: string;
  count: number;
  /** Share of the step before (1 for the first step; 0 when the step before is 0). */
  ofPrevious: number;
  ofFirst: number;
}

export function funnelSteps(f: PairTally['funnel']): FunnelStep[] {
  const steps: [string, number][] = [
    ['segments', f.segments],
    ['candidates', f.candidates],
    ['rated', f.rated],
    ['kept', f.kept],
  ];
  const first = f.segments;
  return steps.map(([label, count], i) => {
    const prev = i === 0 ? count : (steps[i - 1] as [string, number])[1];
    return { label, count, ofPrevious: prev === 0 ? 0 : count / prev, ofFirst: first === 0 ? 0 : count / first };
  });
}

export interface BarRect {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
}

/** Vertical bars filling `width`×`height` (y grows down, as in SVG), `gap` pixels between bars. */
export function barRects(counts: readonly number[], width: number, height: number, gap = 1): BarRect[] {
  const max = Math.max(0, ...counts);
  const n = counts.length;
  if (n === 0) return [];
  const w = Math.max(0, (width - gap * (n - 1)) / n);
  return counts.map((count, i) => {
    const h = max === 0 ? 0 : (count / max) * height;
    return { x: i * (w + gap), y: height - h, width: w, height: h, count };
  });
}
