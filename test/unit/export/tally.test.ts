import { describe, expect, it } from 'vitest';
import { curatePair } from '../../../src/core/curation/pair.ts';
import { emptyTally, expectedBin, meanAndSd, tallyPair, tallyWritten } from '../../../src/core/export/tally.ts';
import { candidate, rating, segment } from './records.ts';

describe('expectedBin', () => {
  it('puts expected scores in half-point bins, 5 in the last', () => {
    expect([1, 1.49, 1.5, 3.99, 4, 4.49, 4.5, 5, 0.2, 7].map(expectedBin)).toEqual([0, 0, 1, 5, 6, 6, 7, 7, 0, 7]);
  });
});

describe('tallyPair', () => {
  it('counts out-of-range and unparsed scores as unparsed, and expected scores by bin', () => {
    const t = emptyTally();
    const ratings = [rating(1, 5, { expectedScore: 4.7 }), rating(1, 9, { round: 1, runId: 'r_cur1' }), rating(1, null, { round: 2, runId: 'r_cur2' })];
    // round 2 decides: its unreadable reply makes the pair unparsed
    const pair = curatePair(segment(1, 'x'), candidate(1, 'q'), ratings, undefined, undefined, { rule: { by: 'score', threshold: 4 }, deciders: ['r_cur2'] });
    tallyPair(t, pair);
    expect(t.rounds).toEqual([
      { round: 0, scores: [0, 0, 0, 0, 1], unparsed: 0, expected: [0, 0, 0, 0, 0, 0, 0, 1] },
      { round: 1, scores: [0, 0, 0, 0, 0], unparsed: 1, expected: [0, 0, 0, 0, 0, 0, 0, 0] },
      { round: 2, scores: [0, 0, 0, 0, 0], unparsed: 1, expected: [0, 0, 0, 0, 0, 0, 0, 0] },
    ]);
    expect(t.byStatus.unparsed).toBe(1);
    expect(t.promptVersions).toEqual({ 'augment stage v1 prompt v2': 1, 'curate stage v1 prompt v3': 3 });
  });
});

describe('lengths', () => {
  it('gives mean and population sd of what was written', () => {
    const t = emptyTally();
    tallyWritten(t, { instruction: 'ab', response: 'abcd', origin: 'seed' });
    tallyWritten(t, { instruction: 'abcdef', response: 'ab', origin: 'generated' });
    expect(meanAndSd(t.instructionChars)).toEqual({ mean: 4, sd: 2 });
    expect(meanAndSd(t.responseChars)).toEqual({ mean: 3, sd: 1 });
    expect(t.written).toEqual({ seed: 1, generated: 1 });
    expect(meanAndSd(emptyTally().responseChars)).toEqual({ mean: 0, sd: 0 });
  });
});
