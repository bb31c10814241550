/**
 * Selection of the curated set A_k and the funnel that shows every step's count (METHOD.md: one
 * notebook defined a score filter and then trained on every row; here each step is visible,
 * before → after). A human decision overrides the threshold both ways.
 *
 * By integer score, A4 keeps score ≥ 4. By expected score, A5 keeps E[score] ≥ 4.5 (the paper's
 * A5); a parsed rating without probabilities falls back to its integer score, and the funnel
 * says how many did.
 */
import type { Candidate, Rating } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';

export interface SelectionRule {
  by: 'score' | 'expected';
  /** Keep ratings ≥ threshold (e.g. 4 for A4, 4.5 with 'expected' for A5). */
  threshold: number;
}

export type KeepReason = 'threshold' | 'human-accept' | 'human-reject' | 'below' | 'unparsed';

/** Whether a rating is kept, and why. */
export function keepRating(r: Rating, rule: SelectionRule): { kept: boolean; reason: KeepReason; fallback: boolean } {
  if (r.decision === 'accept') return { kept: true, reason: 'human-accept', fallback: false };
  if (r.decision === 'reject') return { kept: false, reason: 'human-reject', fallback: false };
  if (r.parse !== 'parsed' || r.score === null) return { kept: false, reason: 'unparsed', fallback: false };
  const useExpected = rule.by === 'expected' && typeof r.expectedScore === 'number';
  const value = useExpected ? (r.expectedScore as number) : r.score;
  const kept = value >= rule.threshold;
  return { kept, reason: kept ? 'threshold' : 'below', fallback: rule.by === 'expected' && !useExpected };
}

export interface Funnel {
  segments: number;
  /** Candidates written (any status). */
  candidates: number;
  /** Candidates with status 'ok'. */
  usable: number;
  rated: number;
  parsed: number;
  kept: number;
  /** Of `kept`, how many a human accepted against (or without) the threshold. */
  humanAccepted: number;
  humanRejected: number;
  /** Expected-score rule only: parsed ratings with no probabilities, judged by integer score. */
  fallback: number;
  /** Counts by candidate status and by rating score ('unparsed' for none). */
  candidateStatus: Record<string, number>;
  scores: Record<string, number>;
}

export const emptyFunnel = (): Funnel => ({
  segments: 0, candidates: 0, usable: 0, rated: 0, parsed: 0, kept: 0,
  humanAccepted: 0, humanRejected: 0, fallback: 0, candidateStatus: {}, scores: {},
});

export function countCandidate(f: Funnel, c: Candidate): void {
  f.candidates++;
  if (c.status === 'ok') f.usable++;
  f.candidateStatus[c.status] = (f.candidateStatus[c.status] ?? 0) + 1;
}

export function countRating(f: Funnel, r: Rating, rule: SelectionRule): boolean {
  f.rated++;
  if (r.parse === 'parsed') f.parsed++;
  const key = r.parse === 'parsed' && r.score !== null ? String(r.score) : 'unparsed';
  f.scores[key] = (f.scores[key] ?? 0) + 1;
  const k = keepRating(r, rule);
  if (k.kept) f.kept++;
  if (k.reason === 'human-accept') f.humanAccepted++;
  if (k.reason === 'human-reject') f.humanRejected++;
  if (k.fallback) f.fallback++;
  return k.kept;
}

/** The funnel for one augmentation run and one rating run, read from the store in chunks. */
export async function funnelCounts(store: ProjectStore, augmentRunId: string, curateRunId: string, rule: SelectionRule): Promise<Funnel> {
  const f = emptyFunnel();
  f.segments = (await store.info('segments')).count;
  await store.scan<Candidate>(`candidates:${augmentRunId}`, (chunk) => {
    for (const c of chunk) countCandidate(f, c);
  });
  await store.scan<Rating>(`ratings:${curateRunId}`, (chunk) => {
    for (const r of chunk) countRating(f, r, rule);
  });
  return f;
}

/** The seqs of the kept pairs, in order (what an export or a training set reads). */
export async function keptSeqs(store: ProjectStore, curateRunId: string, rule: SelectionRule): Promise<number[]> {
  const out: number[] = [];
  await store.scan<Rating>(`ratings:${curateRunId}`, (chunk) => {
    for (const r of chunk) if (keepRating(r, rule).kept) out.push(r.seq);
  });
  return out;
}
