/**
 * Counting a run's results so that the numbers always equal what is stored: each item is counted
 * once by seq, a failure later retried successfully moves from "failed" to "done", and a repeated
 * failure replaces the earlier one. The runner keeps two tallies — what is persisted (written into
 * the Run record in the same transaction as the batch) and what is finished (shown live).
 */
import type { RunProgress } from '../records.ts';

export interface Tally {
  done: number;
  /** Failed seqs (with no stored result) and their codes. */
  failed: Map<number, string>;
  outcomes: Record<string, number>;
  tokens: number;
}

export type Finished =
  | { kind: 'result'; seq: number; outcome: string; tokens: number }
  | { kind: 'failure'; seq: number; code: string };

export const newTally = (): Tally => ({ done: 0, failed: new Map(), outcomes: {}, tokens: 0 });

const bump = (counts: Record<string, number>, code: string, by: number): void => {
  const n = (counts[code] ?? 0) + by;
  if (n === 0) delete counts[code];
  else counts[code] = n;
};

export function countFinished(t: Tally, item: Finished): void {
  const earlier = t.failed.get(item.seq);
  if (earlier !== undefined) {
    t.failed.delete(item.seq);
    bump(t.outcomes, earlier, -1);
  }
  if (item.kind === 'result') {
    t.done++;
    t.tokens += item.tokens;
    bump(t.outcomes, item.outcome, 1);
  } else {
    t.failed.set(item.seq, item.code);
    bump(t.outcomes, item.code, 1);
  }
}

export function copyTally(t: Tally): Tally {
  return { done: t.done, failed: new Map(t.failed), outcomes: { ...t.outcomes }, tokens: t.tokens };
}

export function toRunProgress(t: Tally, total: number, startedAt: number, now: number): RunProgress {
  return { done: t.done, total, failed: t.failed.size, outcomes: { ...t.outcomes }, tokens: t.tokens, startedAt, updatedAt: now };
}
