import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../src/core/records.ts';
import { curatePair, joinPairs, scoreOf, type Selection } from '../../../src/core/curation/pair.ts';
import { candidate, failure, rating, segment } from '../export/records.ts';

const A4: Selection = { minScore: 4, useExpected: false };
const seg = segment(1, 'Body.');

describe('curatePair status', () => {
  it('keeps a pair scored at the threshold and rejects one below', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 4)], undefined, A4).status).toBe('kept');
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 3)], undefined, A4).status).toBe('rejected');
  });

  it('compares the expected score when asked and present, the integer score otherwise', () => {
    const A5: Selection = { minScore: 4.5, useExpected: true };
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5, { expectedScore: 4.4 })], undefined, A5)).toMatchObject({ status: 'rejected', score: 4.4 });
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5)], undefined, A5)).toMatchObject({ status: 'kept', score: 5 });
  });

  it('keeps an unparsed rating visible as unparsed, never kept or dropped', () => {
    const p = curatePair(seg, candidate(1, 'Q?'), [rating(1, null)], undefined, A4);
    expect(p).toMatchObject({ status: 'unparsed', score: null, round: 0 });
    expect(p.rating?.raw).toBe('no score here');
  });

  it('marks failed and empty candidates failed, missing ones unrated unless a failure was stored', () => {
    expect(curatePair(seg, candidate(1, '', { status: 'empty' }), [], undefined, A4).status).toBe('failed');
    expect(curatePair(seg, candidate(1, '   '), [rating(1, 5)], undefined, A4).status).toBe('failed');
    expect(curatePair(seg, undefined, [], undefined, A4).status).toBe('unrated');
    expect(curatePair(seg, undefined, [], failure(1), A4).status).toBe('failed');
  });

  it('calls a candidate without a rating unrated, or failed when curation stored a failure', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [], undefined, A4).status).toBe('unrated');
    expect(curatePair(seg, candidate(1, 'Q?'), [], failure(1, 'r_cur0'), A4).status).toBe('failed');
    // a later successful rating wins over an old failure record
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5)], failure(1, 'r_cur0'), A4).status).toBe('kept');
  });

  it('lets a human decision override the threshold and marks it', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 2, { decision: 'accept' })], undefined, A4)).toMatchObject({ status: 'kept', human: true });
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5, { decision: 'reject' })], undefined, A4)).toMatchObject({ status: 'rejected', human: true });
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, null, { decision: 'accept' })], undefined, A4)).toMatchObject({ status: 'kept', human: true });
    // accepting a pair with no instruction cannot make it trainable
    expect(curatePair(seg, candidate(1, '', { status: 'empty' }), [rating(1, 5, { decision: 'accept' })], undefined, A4)).toMatchObject({ status: 'failed', human: false });
  });

  it('decides by the chosen round, or the latest, and keeps every round sorted', () => {
    const ratings = [rating(1, 5, { round: 1, runId: 'r1' }), rating(1, 2, { round: 0 })];
    const latest = curatePair(seg, candidate(1, 'Q?'), ratings, undefined, A4);
    expect(latest).toMatchObject({ status: 'kept', round: 1, score: 5 });
    expect(latest.ratings.map((r) => r.round)).toEqual([0, 1]);
    expect(curatePair(seg, candidate(1, 'Q?'), ratings, undefined, { ...A4, round: 0 })).toMatchObject({ status: 'rejected', round: 0, score: 2 });
    expect(curatePair(seg, candidate(1, 'Q?'), ratings, undefined, { ...A4, round: 2 })).toMatchObject({ status: 'unrated', round: null });
  });

  it('lets the later of two runs of the same round decide', () => {
    const p = curatePair(seg, candidate(1, 'Q?'), [rating(1, 2, { runId: 'old' }), rating(1, 4, { runId: 'new' })], undefined, { ...A4, round: 0 });
    expect(p.rating?.runId).toBe('new');
    expect(p.status).toBe('kept');
  });

  it('trains on the edited instruction and says so', () => {
    const p = curatePair(seg, candidate(1, 'Better?', { raw: 'Worse?', edited: true }), [rating(1, 4)], undefined, A4);
    expect(p).toMatchObject({ instruction: 'Better?', edited: true, response: 'Body.', source: 'docs/a.md' });
  });
});

describe('scoreOf', () => {
  it('ignores a non-finite expected score and unparsed ratings', () => {
    expect(scoreOf(rating(1, 4, { expectedScore: Number.NaN }), true)).toBe(4);
    expect(scoreOf(rating(1, 4, { expectedScore: null }), true)).toBe(4);
    expect(scoreOf(rating(1, null), true)).toBeNull();
    expect(scoreOf(undefined, false)).toBeNull();
  });
});

describe('joinPairs', () => {
  it('joins by seq and ignores records that belong to another seq', () => {
    const segs = [segment(10, 'A'), segment(11, 'B')];
    const pairs = joinPairs(
      segs,
      [candidate(10, 'QA'), candidate(99, 'stray')],
      [[rating(10, 5), undefined], [undefined, rating(11, 1, { round: 1 })]],
      [undefined, failure(11)],
      A4,
    );
    expect(pairs.map((p) => [p.seq, p.status, p.instruction])).toEqual([
      [10, 'kept', 'QA'],
      [11, 'failed', ''],
    ]);
    expect(pairs[1]?.ratings.map((r) => r.round)).toEqual([1]);
  });
});

describe('curatePair response', () => {
  it('is the cut text when the instruction was written for a segment cut to fit the context', () => {
    const long = segment(2, 'First sentence. Second sentence. Third sentence.');
    const cut = { ...candidate(2, 'What comes first?'), budget: { chars: 32, tokens: 8, originalTokens: 12 } } as Candidate;
    expect(curatePair(long, cut, [rating(2, 5)], undefined, A4).response).toBe('First sentence. Second sentence.');
    expect(curatePair(long, candidate(2, 'Q?'), [rating(2, 5)], undefined, A4).response).toBe('First sentence. Second sentence. Third sentence.');
  });
});
