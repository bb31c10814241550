/**
 * The score rule of the curated set A_k: a rating is kept when its score reaches the threshold.
 * By integer score, A4 keeps score ≥ 4. By expected score, A5 keeps E[score] ≥ 4.5 (the paper's
 * A5) — where the expectation is reliable: the five score tokens covered at least half the
 * probability (expected-score.ts `reliableExpected`). A parsed rating without probabilities, or with
 * too little mass on the scores, falls back to its integer score, and the funnel and the dataset
 * card say how many did. Human decisions are not ratings: core/curation/pair.ts applies them first.
 */
import type { Rating } from '../records.ts';
import { reliableExpected } from './expected-score.ts';

export interface SelectionRule {
  by: 'score' | 'expected';
  /** Keep ratings ≥ threshold (e.g. 4 for A4, 4.5 with 'expected' for A5). */
  threshold: number;
}

export type KeepReason = 'threshold' | 'below' | 'unparsed';

/**
 * Why an expected-score rule used the integer score: the engine gave no probabilities, or the
 * score tokens covered too little of them for the expectation to mean anything.
 */
export type Fallback = 'no-probabilities' | 'unreliable' | null;

/** The value the rule compares (null for an unparsed rating), and why it is the integer score where the rule asked for the expectation. */
export function ruleValue(r: Rating, rule: SelectionRule): { value: number | null; fallback: Fallback } {
  if (r.parse !== 'parsed' || r.score === null) return { value: null, fallback: null };
  if (rule.by !== 'expected') return { value: r.score, fallback: null };
  const e = reliableExpected(r);
  if (e !== null) return { value: e, fallback: null };
  const hasExpectation = typeof r.expectedScore === 'number' && Number.isFinite(r.expectedScore);
  return { value: r.score, fallback: hasExpectation ? 'unreliable' : 'no-probabilities' };
}

/** Whether a rating is kept by the rule, and why. */
export function keepRating(r: Rating, rule: SelectionRule): { kept: boolean; reason: KeepReason; fallback: Fallback } {
  const { value, fallback } = ruleValue(r, rule);
  if (value === null) return { kept: false, reason: 'unparsed', fallback };
  const kept = value >= rule.threshold;
  return { kept, reason: kept ? 'threshold' : 'below', fallback };
}
