import { describe, expect, it } from 'vitest';
import { barRects, funnelSteps, histogram, lengthDistribution, niceEdges, niceStep, roundBins, scoreCounts } from '../../../src/core/review/charts.ts';
import type { PairRow } from '../../../src/core/review/query.ts';

const row = (seq: number, score: number | null, round: number | null, chars: number): PairRow => ({
  seq, instruction: '', response: '', chars, instructionChars: seq, score, expectedScore: null, round, status: 'kept', source: 'a', human: false, edited: false,
});

describe('histogram', () => {
  it('counts into [x0, x1) bins, the last bin closed, values outside ignored', () => {
    expect(histogram([0, 0.5, 1, 1.99, 2, 3, 3.5, -1, 4, Number.NaN], [0, 1, 2, 3])).toEqual([
      { x0: 0, x1: 1, count: 2 },
      { x0: 1, x1: 2, count: 2 },
      { x0: 2, x1: 3, count: 2 },
    ]);
  });
  it('gives no bins for fewer than two edges', () => {
    expect(histogram([1], [1])).toEqual([]);
  });
});

describe('nice bins', () => {
  it('picks 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([niceStep(3000, 20), niceStep(1000, 10), niceStep(130, 20), niceStep(0, 20), niceStep(7, 20)]).toEqual([200, 100, 10, 1, 0.5]);
  });
  it('covers [0, max] with at most about target bins and at least one', () => {
    expect(niceEdges(1000, 4)).toEqual([0, 250, 500, 750, 1000]);
    expect(niceEdges(1001, 4)).toEqual([0, 500, 1000, 1500]);
    expect(niceEdges(0)).toEqual([0, 1]);
  });
  it('bins response lengths', () => {
    const rows = [row(0, 5, 0, 100), row(1, 5, 0, 950), row(2, 5, 0, 1000), row(3, 5, 0, 10)];
    expect(lengthDistribution(rows, 'chars', 4)).toEqual([
      { x0: 0, x1: 250, count: 2 },
      { x0: 250, x1: 500, count: 0 },
      { x0: 500, x1: 750, count: 0 },
      { x0: 750, x1: 1000, count: 2 },
    ]);
    expect(lengthDistribution(rows, 'instructionChars', 3)).toEqual([
      { x0: 0, x1: 1, count: 1 },
      { x0: 1, x1: 2, count: 1 },
      { x0: 2, x1: 3, count: 2 },
    ]);
  });
});

describe('scoreCounts', () => {
  it('counts integer scores per round, rounding expected scores, and counts unscored rated rows', () => {
    const rows = [row(0, 5, 0, 1), row(1, 4.6, 0, 1), row(2, null, 0, 1), row(3, 1, 1, 1), row(4, null, null, 1)];
    expect(scoreCounts(rows, 0)).toEqual({ scores: [0, 0, 0, 0, 2], unscored: 1 });
    expect(scoreCounts(rows, 1)).toEqual({ scores: [1, 0, 0, 0, 0], unscored: 0 });
    expect(scoreCounts(rows)).toEqual({ scores: [1, 0, 0, 0, 2], unscored: 1 });
  });
  it('turns a tally round into bins', () => {
    expect(roundBins({ round: 0, scores: [1, 2, 3, 4, 5], unparsed: 0, expected: [] }).map((b) => [b.x0, b.count])).toEqual([
      [1, 1], [2, 2], [3, 3], [4, 4], [5, 5],
    ]);
  });
});

describe('funnelSteps', () => {
  it('gives each step its share of the previous and the first', () => {
    expect(funnelSteps({ segments: 200, candidates: 100, rated: 50, kept: 10 })).toEqual([
      { label: 'segments', count: 200, ofPrevious: 1, ofFirst: 1 },
      { label: 'candidates', count: 100, ofPrevious: 0.5, ofFirst: 0.5 },
      { label: 'rated', count: 50, ofPrevious: 0.5, ofFirst: 0.25 },
      { label: 'kept', count: 10, ofPrevious: 0.2, ofFirst: 0.05 },
    ]);
    expect(funnelSteps({ segments: 0, candidates: 0, rated: 0, kept: 0 })[1]).toEqual({ label: 'candidates', count: 0, ofPrevious: 0, ofFirst: 0 });
  });
});

describe('barRects', () => {
  it('scales the tallest bar to the height, y growing down', () => {
    expect(barRects([1, 4, 0, 2], 103, 40, 1)).toEqual([
      { x: 0, y: 30, width: 25, height: 10, count: 1 },
      { x: 26, y: 0, width: 25, height: 40, count: 4 },
      { x: 52, y: 40, width: 25, height: 0, count: 0 },
      { x: 78, y: 20, width: 25, height: 20, count: 2 },
    ]);
    expect(barRects([0, 0], 10, 10, 0).map((r) => r.height)).toEqual([0, 0]);
    expect(barRects([], 10, 10)).toEqual([]);
  });
});
