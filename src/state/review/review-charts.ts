/**
 * The numbers behind the review's pictures, for the rows the filters let through: each rating
 * run's score histogram (so rounds can be compared side by side), the funnel (segments →
 * candidates → rated → kept) and the length distributions. Computed from the compact index in
 * one pass over the view, so it can follow every filter change at 500,000 rows.
 */
import { PAIR_STATUSES, type PairStatus } from '../../core/curation/pair.ts';
import { funnelSteps, histogram, niceEdges, type Bin, type FunnelStep } from '../../core/review/charts.ts';
import { UNPARSED, type PairIndex } from './pair-index.ts';

export interface RoundHistogram {
  runId: string;
  round: number;
  /** Index 0 = score 1. */
  scores: number[];
  unparsed: number;
}

export interface ReviewCharts {
  rounds: RoundHistogram[];
  funnel: FunnelStep[];
  responseLengths: Bin[];
  instructionLengths: Bin[];
  /** Rows by status. */
  statuses: Record<PairStatus, number>;
}

function lengths(col: Int32Array, view: Int32Array): Bin[] {
  let max = 0;
  for (const pos of view) max = Math.max(max, col[pos] as number);
  function* values(): Generator<number> {
    for (const pos of view) yield col[pos] as number;
  }
  return histogram(values(), niceEdges(max, 20));
}

export function reviewCharts(index: PairIndex, view: Int32Array, rounds: readonly { runId: string; round: number }[]): ReviewCharts {
  const hist: RoundHistogram[] = rounds.map((r) => ({ runId: r.runId, round: r.round, scores: [0, 0, 0, 0, 0], unparsed: 0 }));
  const funnel = { segments: 0, candidates: 0, rated: 0, kept: 0 };
  const kept = PAIR_STATUSES.indexOf('kept');
  const byStatus = PAIR_STATUSES.map(() => 0);
  for (const pos of view) {
    const st = index.status[pos] as number;
    byStatus[st] = (byStatus[st] ?? 0) + 1;
    funnel.segments++;
    if (index.hasCandidate(pos)) funnel.candidates++;
    if (index.rated(pos)) funnel.rated++;
    if (index.status[pos] === kept) funnel.kept++;
    hist.forEach((h, k) => {
      const s = index.runScores[k]?.[pos] ?? 0;
      if (s === UNPARSED) h.unparsed++;
      else if (s >= 1 && s <= 5) h.scores[s - 1] = (h.scores[s - 1] ?? 0) + 1;
    });
  }
  return {
    rounds: hist,
    funnel: funnelSteps(funnel),
    responseLengths: lengths(index.chars, view),
    instructionLengths: lengths(index.instructionChars, view),
    statuses: Object.fromEntries(PAIR_STATUSES.map((s, i) => [s, byStatus[i] ?? 0])) as Record<PairStatus, number>,
  };
}
