/**
 * The Rate step's funnel — segments → instructions → usable → rated → score read → kept — counted
 * from the same pairs Review shows and Export writes (METHOD.md: one notebook defined a score
 * filter and then trained on every row; here each step is visible, before → after, and the last
 * number is exactly the number of pairs the export and the trainer get).
 */
import { usableInstruction } from './decisions.ts';
import type { CuratedPair } from './pair.ts';

export interface Funnel {
  segments: number;
  /** Candidates written (any status). */
  candidates: number;
  /** Pairs with an instruction to rate: a usable candidate, or one a person wrote. */
  usable: number;
  /** Pairs with a deciding rating. */
  rated: number;
  parsed: number;
  kept: number;
  /** Kept because a person accepted them / left out because a person rejected them. */
  humanAccepted: number;
  humanRejected: number;
  /** Edited by hand since their rating, waiting for "Rate the edited pairs" (or an accept). */
  awaitingRating: number;
  /** Expected-score rule only: parsed ratings with no probabilities, judged by integer score. */
  fallback: number;
  /** Expected-score rule only: ratings whose score tokens covered too little probability ("expected score unreliable"), judged by integer score. */
  unreliable: number;
  /** Counts by candidate status and by deciding score ('unparsed' for none). */
  candidateStatus: Record<string, number>;
  scores: Record<string, number>;
}

export const emptyFunnel = (): Funnel => ({
  segments: 0, candidates: 0, usable: 0, rated: 0, parsed: 0, kept: 0,
  humanAccepted: 0, humanRejected: 0, awaitingRating: 0, fallback: 0, unreliable: 0, candidateStatus: {}, scores: {},
});

const bump = (rec: Record<string, number>, key: string): void => void (rec[key] = (rec[key] ?? 0) + 1);

/** Counts one pair of the set. */
export function countPair(f: Funnel, p: CuratedPair): void {
  f.segments++;
  const c = p.candidate;
  if (c) {
    f.candidates++;
    bump(f.candidateStatus, c.status);
  }
  if (usableInstruction(c, p.decision) !== null) f.usable++;
  if (p.awaitingRating) f.awaitingRating++;
  if (p.status === 'kept') f.kept++;
  if (p.human) {
    if (p.status === 'kept') f.humanAccepted++;
    else f.humanRejected++;
  }
  const r = p.rating;
  if (!r) return;
  f.rated++;
  if (r.parse === 'parsed') f.parsed++;
  bump(f.scores, r.parse === 'parsed' && r.score !== null ? String(r.score) : 'unparsed');
  if (p.fallback === 'no-probabilities') f.fallback++;
  else if (p.fallback === 'unreliable') f.unreliable++;
}
