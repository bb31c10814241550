/**
 * Running counts over every pair an export walks: statuses, the funnel, each round's score
 * distribution, the models and prompt versions that produced the data, and the lengths of what
 * was written. The dataset card is built from this, so it states what the file really holds
 * (METHOD.md: "every selection step must be visible in counts"). A plain object, so it crosses
 * a worker boundary and can be stored.
 */
import type { ModelRef } from '../records.ts';
import { PAIR_STATUSES, type CuratedPair, type PairStatus } from '../curation/pair.ts';
import type { TrainingExample } from './writers.ts';

export interface RoundScores {
  round: number;
  /** Pairs with integer score 1..5 (index 0 = score 1). */
  scores: [number, number, number, number, number];
  unparsed: number;
  /** Expected scores in half-point bins from 1: [1,1.5), [1.5,2), … [4.5,5]. */
  expected: number[];
}

/** Mean and spread of a length, kept as sums so tallies can be merged. */
export interface LengthSums {
  n: number;
  sum: number;
  sumSq: number;
  max: number;
}

export interface PairTally {
  byStatus: Record<PairStatus, number>;
  funnel: { segments: number; candidates: number; rated: number; kept: number };
  rounds: RoundScores[];
  /** "engine:model" → pairs, for the backward model (augment) and each curation round. */
  augmentModels: Record<string, number>;
  curatorModels: Record<string, number>;
  /** "stage vN prompt vM" → pairs. */
  promptVersions: Record<string, number>;
  humanDecisions: number;
  edited: number;
  /** Expected-score rule: deciding ratings whose expectation was unreliable (too little mass on the scores) or absent, judged by integer score. */
  expectedUnreliable: number;
  expectedMissing: number;
  /** What was written, by origin. */
  written: { seed: number; generated: number };
  instructionChars: LengthSums;
  responseChars: LengthSums;
}

const emptyLength = (): LengthSums => ({ n: 0, sum: 0, sumSq: 0, max: 0 });

export function emptyTally(): PairTally {
  return {
    byStatus: Object.fromEntries(PAIR_STATUSES.map((s) => [s, 0])) as Record<PairStatus, number>,
    funnel: { segments: 0, candidates: 0, rated: 0, kept: 0 },
    rounds: [],
    augmentModels: {},
    curatorModels: {},
    promptVersions: {},
    humanDecisions: 0,
    edited: 0,
    expectedUnreliable: 0,
    expectedMissing: 0,
    written: { seed: 0, generated: 0 },
    instructionChars: emptyLength(),
    responseChars: emptyLength(),
  };
}

export const modelKey = (m: ModelRef): string => `${m.engine}:${m.model}`;
const bump = (rec: Record<string, number>, key: string): void => void (rec[key] = (rec[key] ?? 0) + 1);

function roundOf(tally: PairTally, round: number): RoundScores {
  let r = tally.rounds.find((x) => x.round === round);
  if (!r) {
    r = { round, scores: [0, 0, 0, 0, 0], unparsed: 0, expected: new Array<number>(8).fill(0) };
    tally.rounds.push(r);
    tally.rounds.sort((a, b) => a.round - b.round);
  }
  return r;
}

/** Half-point bin of an expected score in [1, 5]; 5 falls in the last bin. */
export function expectedBin(score: number): number {
  return Math.min(7, Math.max(0, Math.floor((score - 1) * 2)));
}

/** Counts one pair (every pair walked, exported or not). */
export function tallyPair(tally: PairTally, pair: CuratedPair): void {
  if (pair.fallback === 'unreliable') tally.expectedUnreliable++;
  else if (pair.fallback === 'no-probabilities') tally.expectedMissing++;
  tally.byStatus[pair.status]++;
  tally.funnel.segments++;
  if (pair.candidate?.status === 'ok') tally.funnel.candidates++;
  if (pair.rating) tally.funnel.rated++;
  if (pair.status === 'kept') tally.funnel.kept++;
  if (pair.human) tally.humanDecisions++;
  if (pair.edited) tally.edited++;
  const c = pair.candidate;
  if (c) {
    bump(tally.augmentModels, modelKey(c.provenance.model));
    bump(tally.promptVersions, `augment stage v${c.provenance.stageVersion} prompt v${c.provenance.promptVersion}`);
  }
  for (const r of pair.ratings) {
    const rs = roundOf(tally, r.round);
    if (r.parse === 'parsed' && r.score !== null && Number.isInteger(r.score) && r.score >= 1 && r.score <= 5) {
      rs.scores[r.score - 1] = (rs.scores[r.score - 1] ?? 0) + 1;
    } else rs.unparsed++;
    if (r.parse === 'parsed' && typeof r.expectedScore === 'number' && Number.isFinite(r.expectedScore)) {
      const b = expectedBin(r.expectedScore);
      rs.expected[b] = (rs.expected[b] ?? 0) + 1;
    }
    bump(tally.curatorModels, `round ${r.round}: ${modelKey(r.curator.model)}`);
    bump(tally.promptVersions, `curate stage v${r.curator.stageVersion} prompt v${r.curator.promptVersion}`);
  }
}

function addLength(l: LengthSums, n: number): void {
  l.n++;
  l.sum += n;
  l.sumSq += n * n;
  if (n > l.max) l.max = n;
}

/** Counts one example that was written to the file. */
export function tallyWritten(tally: PairTally, ex: TrainingExample): void {
  tally.written[ex.origin]++;
  addLength(tally.instructionChars, ex.instruction.length);
  addLength(tally.responseChars, ex.response.length);
}

export function meanAndSd(l: LengthSums): { mean: number; sd: number } {
  if (l.n === 0) return { mean: 0, sd: 0 };
  const mean = l.sum / l.n;
  return { mean, sd: Math.sqrt(Math.max(0, l.sumSq / l.n - mean * mean)) };
}
