/**
 * Which runs the review and export read: the stages' saved choice (every rating run over the
 * chosen candidates, the chosen run deciding its round), or — before any choice — the latest
 * generation run and the rating runs after it; nothing at all for a seeds-only project.
 */
import { describe, expect, it } from 'vitest';
import { newRun, type Run } from '../../../src/core/records.ts';
import { reviewSourceOf, savedSelection } from '../../../src/state/review/pair-source.ts';

const run = (id: string, stage: Run['stage'], at: number, extra: Partial<Run> = {}, settings: Record<string, unknown> = {}): Run => ({ ...newRun(stage, 1, settings, at), id, ...extra });

const aug1 = run('a1', 'augment', 10);
const aug2 = run('a2', 'augment', 20);
const m0 = run('c0', 'curate', 30, { round: 0 }, { augmentRunId: 'a2' });
const m1 = run('c1', 'curate', 40, { round: 1 }, { augmentRunId: 'a2' });
const m0again = run('c0b', 'curate', 50, { round: 0 }, { augmentRunId: 'a2' });
const other = run('cx', 'curate', 15, { round: 0 }, { augmentRunId: 'a1' });
const runs = [m1, aug1, other, m0again, aug2, m0];

describe('reviewSourceOf', () => {
  it('follows the saved choice: the chosen run decides its round, every round shown', () => {
    const rs = reviewSourceOf(runs, { augmentRunId: 'a2', curateRunId: 'c0', rule: { by: 'expected', threshold: 4.5 } });
    expect(rs).toEqual({
      source: { candidates: 'candidates:a2', ratings: ['ratings:c0b', 'ratings:c0', 'ratings:c1'], failures: ['failures:a2', 'failures:c0b', 'failures:c0', 'failures:c1'] },
      selection: { minScore: 4.5, useExpected: true, round: 0 },
      rounds: [{ runId: 'c0b', round: 0 }, { runId: 'c0', round: 0 }, { runId: 'c1', round: 1 }],
    });
  });

  it('without a choice, takes the latest generation run and the rating runs after it, at A4', () => {
    const rs = reviewSourceOf(runs, null);
    expect(rs?.source).toEqual({ candidates: 'candidates:a2', ratings: ['ratings:c0', 'ratings:c1', 'ratings:c0b'], failures: ['failures:a2', 'failures:c0', 'failures:c1', 'failures:c0b'] });
    expect(rs?.selection).toEqual({ minScore: 4, useExpected: false });
    expect(rs?.rounds.map((r) => r.round)).toEqual([0, 1, 0]);
  });

  it('gives nothing for a seeds-only project, and ignores a saved choice whose run is gone', () => {
    expect(reviewSourceOf([], null)).toBeUndefined();
    expect(reviewSourceOf([aug1], { augmentRunId: 'gone', curateRunId: 'c0', rule: { by: 'score', threshold: 5 } })?.selection).toEqual({ minScore: 5, useExpected: false });
    expect(savedSelection({ augmentRunId: 'a', curateRunId: 'c', rule: { by: 'median', threshold: 4 } })).toBeNull();
    expect(savedSelection('a2')).toBeNull();
  });
});
