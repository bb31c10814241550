/**
 * The pair the user reviews and exports: a segment (the response), the instruction a backward
 * model wrote for it (or a person's edit of it), the forward model's ratings from every round side
 * by side (METHOD.md: "keep each round's ratings side by side"), and the person's decision.
 *
 * All of them share the segment's `seq`, so joining is by seq, a chunk at a time. The status
 * follows one rule, stated here once:
 * 1. a person's reject leaves the pair out, and a person's accept keeps it when it has an
 *    instruction — whatever any rating run of any round says (decisions are their own records);
 * 2. else a candidate that failed (or is empty) and was not rewritten by hand is `failed`;
 * 3. the deciding rating is the latest of the set's deciders (the deciding run, then "edited pairs"
 *    runs of its round) that rated the pair — unless the instruction was edited after it: that
 *    rating judged other words, so the pair waits for a rating (`unrated`, `awaitingRating`);
 * 4. no deciding rating: `failed` when a failure record is newer than any edit, else `unrated`;
 * 5. an unparsable rating is `unparsed` (kept visible with its raw text, never dropped);
 * 6. else the rule (select.ts) decides.
 */
import type { Candidate, HumanDecision, ItemFailure, Rating, Rewrite, Segment } from '../records.ts';
import { keepRating, ruleValue, type Fallback, type SelectionRule } from '../stages/select.ts';
import { cutOf } from '../tokens/stage-budget.ts';
import type { CuratedSet } from './curated-set.ts';
import { usableInstruction } from './decisions.ts';
import { rewriteVerdict, type RewriteVerdict } from './rewrite-use.ts';

export type PairStatus = 'kept' | 'rejected' | 'unparsed' | 'failed' | 'unrated';
export const PAIR_STATUSES: readonly PairStatus[] = ['kept', 'rejected', 'unparsed', 'failed', 'unrated'];

/** How the set decides "kept", as written into full records and the dataset card. */
export interface Selection {
  /** Pairs whose score is ≥ this are kept. */
  minScore: number;
  /** Use the expected score (Σ p·k) where the engine returned probabilities; else the integer score. */
  useExpected: boolean;
  /** The curation round that decides; undefined when nothing was rated. */
  round?: number;
}

/** What `curatePair` needs of the curated set: the rule and which rating runs decide. */
export interface PairRule {
  rule: SelectionRule;
  /** Rating run ids, lowest precedence first (CuratedSet.deciders). */
  deciders: readonly string[];
}

export function selectionOf(set: Pick<CuratedSet, 'rule' | 'round'>): Selection {
  return { minScore: set.rule.threshold, useExpected: set.rule.by === 'expected', ...(set.round === null ? {} : { round: set.round }) };
}

export interface CuratedPair {
  seq: number;
  segment: Segment;
  candidate: Candidate | undefined;
  /** Ratings from every run over the candidates, round ascending. */
  ratings: Rating[];
  /** The rating that decides the status, if any. */
  rating: Rating | undefined;
  failure: ItemFailure | undefined;
  decision: HumanDecision | undefined;
  /** The instruction to train on: the person's edit if there is one, else the generated one. */
  instruction: string;
  response: string;
  /** The score compared with the threshold (expected or integer), null when there is none. */
  score: number | null;
  round: number | null;
  status: PairStatus;
  /**
   * Why the expected-score rule judged this pair by its integer score (no probabilities, or too
   * little mass on the score tokens); null when it did not, or when a person decided.
   */
  fallback: Fallback;
  /** True when a person's accept or reject decides the pair, overriding every rating. */
  human: boolean;
  edited: boolean;
  /** Edited by hand after its rating (or never rated since): "Rate the edited pairs" rates it. */
  awaitingRating: boolean;
  source: string;
  /** The set's rewrite of the response, if one was written (rewrite-use.ts says whether it is used). */
  rewrite: Rewrite | undefined;
  rewriteVerdict: RewriteVerdict;
}

/** The score the rule compares: the reliable expected score when asked for, else the integer score (select.ts `ruleValue`). */
export function scoreOf(rating: Rating | undefined, rule: SelectionRule): number | null {
  return rating ? ruleValue(rating, rule).value : null;
}

/** The deciders' latest rating of the pair (later deciders win). */
function decidingRating(ratings: readonly Rating[], deciders: readonly string[]): Rating | undefined {
  let best: Rating | undefined;
  let rank = -1;
  for (const r of ratings) {
    const k = deciders.indexOf(r.runId);
    if (k > rank) {
      rank = k;
      best = r;
    }
  }
  return best;
}

const editedAfter = (d: HumanDecision | undefined, at: number): boolean => d?.instruction !== undefined && (d.editedAt ?? 0) > at;

/** Joins one segment with its records. `ratings` may be in any order and from any rounds. */
export function curatePair(
  segment: Segment,
  candidate: Candidate | undefined,
  ratings: readonly Rating[],
  failure: ItemFailure | undefined,
  decision: HumanDecision | undefined,
  pr: PairRule,
  rewrite?: Rewrite,
): CuratedPair {
  const sorted = [...ratings].sort((a, b) => a.round - b.round);
  const edit = decision?.instruction;
  const instruction = edit ?? candidate?.instruction ?? '';
  const byHand = edit !== undefined && edit.trim() !== '';
  const usable = usableInstruction(candidate, decision) !== null;
  const decider = decidingRating(sorted, pr.deciders);
  // A rating of words the person has since changed no longer judges the pair.
  const rating = decider && !editedAfter(decision, decider.createdAt) ? decider : undefined;
  const verdict = decision?.verdict;
  const human = verdict === 'reject' || (verdict === 'accept' && usable);
  // Judged once here; the funnel and the card read `fallback` instead of judging again.
  let k: ReturnType<typeof keepRating> | undefined;
  let status: PairStatus;
  if (human) status = verdict === 'accept' ? 'kept' : 'rejected';
  // No candidate, no edit and no failure: augmentation has not reached this segment yet.
  else if (!candidate && !byHand) status = failure ? 'failed' : 'unrated';
  else if (!usable) status = 'failed';
  // A failure record only matters while there is no rating and no newer edit: a retry or an edit since wins.
  else if (!rating) status = failure && !editedAfter(decision, failure.createdAt) ? 'failed' : 'unrated';
  else {
    k = keepRating(rating, pr.rule);
    status = k.kept ? 'kept' : k.reason === 'unparsed' ? 'unparsed' : 'rejected';
  }
  const cut = candidate ? cutOf(candidate) : undefined;
  return {
    seq: segment.seq,
    segment,
    candidate,
    ratings: sorted,
    rating,
    failure,
    decision,
    instruction,
    // An instruction written for a segment cut to fit the context answers the cut text, not the whole.
    response: cut ? segment.text.slice(0, cut.chars) : segment.text,
    score: scoreOf(rating, pr.rule),
    round: rating?.round ?? null,
    status,
    fallback: k?.fallback ?? null,
    human,
    edited: byHand || candidate?.edited === true,
    awaitingRating: usable && byHand && !rating && verdict === undefined,
    source: segment.provenance.path,
    rewrite,
    rewriteVerdict: rewriteVerdict(rewrite, decision, instruction),
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
  decisions: readonly (HumanDecision | undefined)[],
  pr: PairRule,
  rewrites: readonly (Rewrite | undefined)[] = [],
): CuratedPair[] {
  const at = <T extends { seq: number }>(list: readonly (T | undefined)[], i: number, seq: number): T | undefined => {
    const r = list[i];
    return r?.seq === seq ? r : undefined;
  };
  return segments.map((segment, i) => {
    const ratings: Rating[] = [];
    for (const run of ratingsByRun) {
      const r = at(run, i, segment.seq);
      if (r) ratings.push(r);
    }
    return curatePair(segment, at(candidates, i, segment.seq), ratings, at(failures, i, segment.seq), at(decisions, i, segment.seq), pr, at(rewrites, i, segment.seq));
  });
}
