/**
 * The pair the user reviews and exports: a segment (the response), the instruction a backward
 * model wrote for it, and the forward model's ratings from every round, side by side — so a
 * round's effect is visible (METHOD.md: "keep each round's ratings side by side").
 *
 * All four records share the segment's `seq`, so joining is by seq, a chunk at a time. The
 * status follows one rule, stated here once: a human decision wins; else a candidate that
 * failed (or is empty) is `failed`; a missing candidate or rating is `failed` when the item has
 * a failure record and `unrated` when it has none (the stage has not reached it yet); an unparsable rating
 * is `unparsed` (kept visible with its raw text, never dropped); else the score decides.
 */
import type { Candidate, ItemFailure, Rating, Segment } from '../records.ts';
import { keepRating, type SelectionRule } from '../stages/select.ts';
import { cutOf } from '../tokens/stage-budget.ts';

export type PairStatus = 'kept' | 'rejected' | 'unparsed' | 'failed' | 'unrated';
export const PAIR_STATUSES: readonly PairStatus[] = ['kept', 'rejected', 'unparsed', 'failed', 'unrated'];

/** Which pairs count as kept: A_k keeps pairs scored ≥ k (the paper's A5 uses expected score ≥ 4.5). */
export interface Selection {
  /** Pairs whose score is ≥ this are kept. */
  minScore: number;
  /** Use the expected score (Σ p·k) where the engine returned probabilities; else the integer score. */
  useExpected: boolean;
  /** The curation round that decides; undefined = the latest round the pair has a rating in. */
  round?: number;
}

export const DEFAULT_SELECTION: Selection = { minScore: 4, useExpected: false };

export interface CuratedPair {
  seq: number;
  segment: Segment;
  candidate: Candidate | undefined;
  /** Ratings from every round, round ascending. */
  ratings: Rating[];
  /** The rating that decides the status (the chosen round's), if any. */
  rating: Rating | undefined;
  failure: ItemFailure | undefined;
  /** The instruction to train on: the human edit if there is one, else the generated one. */
  instruction: string;
  response: string;
  /** The score compared with the threshold (expected or integer), null when there is none. */
  score: number | null;
  round: number | null;
  status: PairStatus;
  /** True when a person accepted or rejected the pair, overriding the threshold. */
  human: boolean;
  edited: boolean;
  source: string;
}

/** The same selection in the stages' terms (select.ts). */
export function ruleOf(selection: Selection): SelectionRule {
  return { by: selection.useExpected ? 'expected' : 'score', threshold: selection.minScore };
}

/** The score the selection compares: expected score when asked for and present, else the integer score. */
export function scoreOf(rating: Rating | undefined, useExpected: boolean): number | null {
  if (!rating || rating.parse !== 'parsed') return null;
  if (useExpected && typeof rating.expectedScore === 'number' && Number.isFinite(rating.expectedScore)) return rating.expectedScore;
  return rating.score;
}

function decidingRating(ratings: readonly Rating[], round: number | undefined): Rating | undefined {
  // Two runs of the same round: the later one (last in the list) decides.
  if (round !== undefined) return ratings.findLast((r) => r.round === round);
  return ratings[ratings.length - 1];
}

/** Joins one segment with its records. `ratings` may be in any order and from any rounds. */
export function curatePair(
  segment: Segment,
  candidate: Candidate | undefined,
  ratings: readonly Rating[],
  failure: ItemFailure | undefined,
  selection: Selection,
): CuratedPair {
  const sorted = [...ratings].sort((a, b) => a.round - b.round);
  const rating = decidingRating(sorted, selection.round);
  const score = scoreOf(rating, selection.useExpected);
  const decision = rating?.decision;
  const candidateOk = candidate !== undefined && candidate.status === 'ok' && candidate.instruction.trim() !== '';
  let status: PairStatus;
  // A person can reject anything, but can only accept a pair that has an instruction.
  const human = decision === 'reject' || (decision === 'accept' && candidateOk);
  if (human) status = decision === 'accept' ? 'kept' : 'rejected';
  // No candidate and no failure: augmentation has not reached this segment yet.
  else if (!candidate) status = failure ? 'failed' : 'unrated';
  else if (!candidateOk) status = 'failed';
  // A failure record only matters while there is no rating: a later retry that succeeded wins.
  else if (!rating) status = failure ? 'failed' : 'unrated';
  else {
    // The threshold itself is the stages' rule (select.ts), so review, export and the funnel agree.
    const k = keepRating(rating, ruleOf(selection));
    status = k.kept ? 'kept' : k.reason === 'unparsed' ? 'unparsed' : 'rejected';
  }
  return {
    seq: segment.seq,
    segment,
    candidate,
    ratings: sorted,
    rating,
    failure,
    instruction: candidate?.instruction ?? '',
    // An instruction written for a segment cut to fit the context answers the cut text, not the whole.
    response: candidate && cutOf(candidate) ? segment.text.slice(0, cutOf(candidate)?.chars) : segment.text,
    score,
    round: rating?.round ?? null,
    status,
    human,
    edited: candidate?.edited === true,
    source: segment.provenance.path,
  };
}

/**
 * Joins a page of segments with the records fetched for the same seqs. `candidates[i]` and
 * `failures[i]` belong to `segments[i]`; `ratingsByRun` holds, per rating collection, the
 * records for the same seqs (undefined where a run has none).
 */
export function joinPairs(
  segments: readonly Segment[],
  candidates: readonly (Candidate | undefined)[],
  ratingsByRun: readonly (readonly (Rating | undefined)[])[],
  failures: readonly (ItemFailure | undefined)[],
  selection: Selection,
): CuratedPair[] {
  return segments.map((segment, i) => {
    const ratings: Rating[] = [];
    for (const run of ratingsByRun) {
      const r = run[i];
      if (r && r.seq === segment.seq) ratings.push(r);
    }
    const c = candidates[i];
    const f = failures[i];
    return curatePair(segment, c?.seq === segment.seq ? c : undefined, ratings, f?.seq === segment.seq ? f : undefined, selection);
  });
}
