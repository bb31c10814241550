/**
 * The score rule of the curated set A_k: a rating is kept when its score reaches the threshold.
 * By integer score, A4 keeps score ≥ 4. By expected score, A5 keeps E[score] ≥ 4.5 (the paper's
 * A5); a parsed rating without probabilities falls back to its integer score, and the funnel says
 * how many did. Human decisions are not ratings: core/curation/pair.ts applies them first.
 */
import type { Rating } from '../records.ts';

export interface SelectionRule {
  by: 'score' | 'expected';
  /** Keep ratings ≥ threshold (e.g. 4 for A4, 4.5 with 'expected' for A5). */
  threshold: number;
}

export type KeepReason = 'threshold' | 'below' | 'unparsed';

/** Whether a rating is kept by the rule, and why. */
export function keepRating(r: Rating, rule: SelectionRule): { kept: boolean; reason: KeepReason; fallback: boolean } {
  if (r.parse !== 'parsed' || r.score === null) return { kept: false, reason: 'unparsed', fallback: false };
  const useExpected = rule.by === 'expected' && typeof r.expectedScore === 'number';
  const value = useExpected ? (r.expectedScore as number) : r.score;
  const kept = value >= rule.threshold;
  return { kept, reason: kept ? 'threshold' : 'below', fallback: rule.by === 'expected' && !useExpected };
}
