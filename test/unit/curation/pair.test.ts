import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../src/core/records.ts';
import { curatePair, joinPairs, scoreOf, selectionOf, type PairRule } from '../../../src/core/curation/pair.ts';
import { candidate, decision, failure, rating, segment } from '../export/records.ts';

/** A4, decided by the round-0 run 'r_cur0' (the builders' default rating run). */
const A4: PairRule = { rule: { by: 'score', threshold: 4 }, deciders: ['r_cur0'] };
const A5: PairRule = { rule: { by: 'expected', threshold: 4.5 }, deciders: ['r_cur0'] };
const seg = segment(1, 'Body.');

describe('curatePair status', () => {
  it('keeps a pair scored at the threshold and rejects one below', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 4)], undefined, undefined, A4).status).toBe('kept');
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 3)], undefined, undefined, A4).status).toBe('rejected');
  });

  it('compares the expected score when asked and present, the integer score otherwise', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5, { expectedScore: 4.4, scoreMass: 0.8 })], undefined, undefined, A5)).toMatchObject({ status: 'rejected', score: 4.4 });
    // Too little probability on the score tokens: the integer score decides.
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5, { expectedScore: 4.4, scoreMass: 0.3 })], undefined, undefined, A5)).toMatchObject({ status: 'kept', score: 5 });
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5)], undefined, undefined, A5)).toMatchObject({ status: 'kept', score: 5 });
  });

  it('keeps an unparsed rating visible as unparsed, never kept or dropped', () => {
    const p = curatePair(seg, candidate(1, 'Q?'), [rating(1, null)], undefined, undefined, A4);
    expect(p).toMatchObject({ status: 'unparsed', score: null, round: 0 });
    expect(p.rating?.raw).toBe('no score here');
  });

  it('marks failed and empty candidates failed, missing ones unrated unless a failure was stored', () => {
    expect(curatePair(seg, candidate(1, '', { status: 'empty' }), [], undefined, undefined, A4).status).toBe('failed');
    expect(curatePair(seg, candidate(1, '   '), [rating(1, 5)], undefined, undefined, A4).status).toBe('failed');
    expect(curatePair(seg, undefined, [], undefined, undefined, A4).status).toBe('unrated');
    expect(curatePair(seg, undefined, [], failure(1), undefined, A4).status).toBe('failed');
  });

  it('calls a candidate without a rating unrated, or failed when curation stored a failure', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [], undefined, undefined, A4).status).toBe('unrated');
    expect(curatePair(seg, candidate(1, 'Q?'), [], failure(1, 'r_cur0'), undefined, A4).status).toBe('failed');
    // a later successful rating wins over an old failure record
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5)], failure(1, 'r_cur0'), undefined, A4).status).toBe('kept');
  });

  it('lets a human decision record override the rating both ways and marks it', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 2)], undefined, decision(1, { verdict: 'accept' }), A4)).toMatchObject({ status: 'kept', human: true });
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5)], undefined, decision(1, { verdict: 'reject' }), A4)).toMatchObject({ status: 'rejected', human: true });
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, null)], undefined, decision(1, { verdict: 'accept' }), A4)).toMatchObject({ status: 'kept', human: true });
    // a verdict needs no rating at all, and a reject holds even without a candidate
    expect(curatePair(seg, candidate(1, 'Q?'), [], undefined, decision(1, { verdict: 'accept' }), A4)).toMatchObject({ status: 'kept', human: true, rating: undefined });
    expect(curatePair(seg, undefined, [], undefined, decision(1, { verdict: 'reject' }), A4)).toMatchObject({ status: 'rejected', human: true });
    // accepting a pair with no instruction cannot make it trainable
    expect(curatePair(seg, candidate(1, '', { status: 'empty' }), [rating(1, 5)], undefined, decision(1, { verdict: 'accept' }), A4)).toMatchObject({ status: 'failed', human: false });
  });

  it('holds a verdict through a later round that disagrees', () => {
    const ratings = [rating(1, 2), rating(1, 5, { round: 1, runId: 'r_cur1', createdAt: 9000 })];
    const M1: PairRule = { ...A4, deciders: ['r_cur1'] };
    expect(curatePair(seg, candidate(1, 'Q?'), ratings, undefined, decision(1, { verdict: 'reject', round: 0 }), M1)).toMatchObject({ status: 'rejected', human: true });
    expect(curatePair(seg, candidate(1, 'Q?'), ratings, undefined, undefined, M1)).toMatchObject({ status: 'kept', human: false, round: 1 });
  });

  it('ignores a decision stored on a rating (schema 1): only the migration reads it', () => {
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 2, { decision: 'accept' })], undefined, undefined, A4)).toMatchObject({ status: 'rejected', human: false });
    expect(curatePair(seg, candidate(1, 'Q?'), [rating(1, 5, { decision: 'reject' })], undefined, undefined, A4)).toMatchObject({ status: 'kept', human: false });
  });

  it('is decided by the set\'s deciders only; other rounds are shown side by side, sorted', () => {
    const ratings = [rating(1, 5, { round: 1, runId: 'r1' }), rating(1, 2, { round: 0 })];
    const byM1 = curatePair(seg, candidate(1, 'Q?'), ratings, undefined, undefined, { ...A4, deciders: ['r1'] });
    expect(byM1).toMatchObject({ status: 'kept', round: 1, score: 5 });
    expect(byM1.ratings.map((r) => r.round)).toEqual([0, 1]);
    // the older round decides when the set says so, even though a later round rated the pair
    const byM0 = curatePair(seg, candidate(1, 'Q?'), ratings, undefined, undefined, A4);
    expect(byM0).toMatchObject({ status: 'rejected', round: 0, score: 2 });
    expect(byM0.ratings).toHaveLength(2);
    // a deciding run that did not rate the pair leaves it unrated
    expect(curatePair(seg, candidate(1, 'Q?'), ratings, undefined, undefined, { ...A4, deciders: ['r2'] })).toMatchObject({ status: 'unrated', round: null, rating: undefined });
    expect(curatePair(seg, candidate(1, 'Q?'), ratings, undefined, undefined, { ...A4, deciders: [] }).status).toBe('unrated');
  });

  it('lets the later of the deciders win, by their order and not the ratings\'', () => {
    const ratings = [rating(1, 2, { runId: 'old' }), rating(1, 4, { runId: 'new' })];
    const p = curatePair(seg, candidate(1, 'Q?'), ratings, undefined, undefined, { ...A4, deciders: ['old', 'new'] });
    expect(p.rating?.runId).toBe('new');
    expect(p.status).toBe('kept');
    const q = curatePair(seg, candidate(1, 'Q?'), ratings, undefined, undefined, { ...A4, deciders: ['new', 'old'] });
    expect(q.rating?.runId).toBe('old');
    expect(q.status).toBe('rejected');
  });

  it('trains on the edited instruction, leaves the candidate as the model wrote it, and says so', () => {
    const model = candidate(1, 'Worse?');
    // rated after the edit (rating createdAt 2000 > editedAt 1500): the rating judged the edited words
    const p = curatePair(seg, model, [rating(1, 4)], undefined, decision(1, { instruction: 'Better?', editedAt: 1500 }), A4);
    expect(p).toMatchObject({ instruction: 'Better?', edited: true, status: 'kept', awaitingRating: false, response: 'Body.', source: 'docs/a.md' });
    expect(model.instruction).toBe('Worse?');
    // a schema-1 edited candidate still reads as edited
    expect(curatePair(seg, candidate(1, 'Better?', { raw: 'Worse?', edited: true }), [rating(1, 4)], undefined, undefined, A4)).toMatchObject({ instruction: 'Better?', edited: true });
  });

  it('lets no rating made before an edit decide: the pair waits for a rating', () => {
    const edit = decision(1, { instruction: 'Better?', editedAt: 5000 });
    const p = curatePair(seg, candidate(1, 'Worse?'), [rating(1, 5)], undefined, edit, A4);
    expect(p).toMatchObject({ status: 'unrated', awaitingRating: true, rating: undefined, score: null, instruction: 'Better?' });
    expect(p.ratings).toHaveLength(1);
    // an edit newer than a failure wins over it; an older one does not
    expect(curatePair(seg, candidate(1, 'Q?'), [], failure(1, 'r_cur0'), edit, A4)).toMatchObject({ status: 'unrated', awaitingRating: true });
    expect(curatePair(seg, candidate(1, 'Q?'), [], failure(1, 'r_cur0'), decision(1, { instruction: 'Better?', editedAt: 2500 }), A4).status).toBe('failed');
    // a verdict decides an edited pair at once, so it does not wait
    expect(curatePair(seg, candidate(1, 'Worse?'), [rating(1, 1)], undefined, { ...edit, verdict: 'accept' }, A4)).toMatchObject({ status: 'kept', human: true, awaitingRating: false });
    // an edit that rewrites a failed candidate makes it usable
    expect(curatePair(seg, candidate(1, '', { status: 'empty' }), [], undefined, edit, A4)).toMatchObject({ status: 'unrated', awaitingRating: true, instruction: 'Better?' });
  });
});

describe('selectionOf', () => {
  it('describes the rule and round as the full records and dataset card state them', () => {
    expect(selectionOf({ rule: { by: 'score', threshold: 4 }, round: 1 })).toEqual({ minScore: 4, useExpected: false, round: 1 });
    expect(selectionOf({ rule: { by: 'expected', threshold: 4.5 }, round: null })).toEqual({ minScore: 4.5, useExpected: true });
  });
});

describe('scoreOf', () => {
  const EXP = { by: 'expected', threshold: 4.5 } as const;
  it('ignores a non-finite expected score and unparsed ratings', () => {
    expect(scoreOf(rating(1, 4, { expectedScore: Number.NaN, scoreMass: 1 }), EXP)).toBe(4);
    expect(scoreOf(rating(1, 4, { expectedScore: null }), EXP)).toBe(4);
    expect(scoreOf(rating(1, null), EXP)).toBeNull();
    expect(scoreOf(undefined, { by: 'score', threshold: 4 })).toBeNull();
  });

  it('uses the expected score only when the score tokens covered at least half the probability', () => {
    expect(scoreOf(rating(1, 5, { expectedScore: 4.2, scoreMass: 0.5 }), EXP)).toBe(4.2);
    expect(scoreOf(rating(1, 5, { expectedScore: 4.2, scoreMass: 0.49 }), EXP)).toBe(5);
    // Stored before the mass was recorded: nothing says the expectation means anything.
    expect(scoreOf(rating(1, 5, { expectedScore: 4.2 }), EXP)).toBe(5);
    expect(scoreOf(rating(1, 5, { expectedScore: 4.2, scoreMass: 0.9 }), { by: 'score', threshold: 4 })).toBe(5);
  });
});

describe('joinPairs', () => {
  it('joins by seq and ignores records that belong to another seq', () => {
    const segs = [segment(10, 'A'), segment(11, 'B'), segment(12, 'C')];
    const pairs = joinPairs(
      segs,
      [candidate(10, 'QA'), candidate(99, 'stray'), candidate(12, 'QC')],
      [[rating(10, 5), undefined, rating(12, 5)], [undefined, rating(11, 1, { round: 1 }), undefined]],
      [undefined, failure(11), undefined],
      [undefined, decision(98, { verdict: 'accept' }), decision(12, { verdict: 'reject' })],
      A4,
    );
    expect(pairs.map((p) => [p.seq, p.status, p.instruction])).toEqual([
      [10, 'kept', 'QA'],
      [11, 'failed', ''],
      [12, 'rejected', 'QC'],
    ]);
    expect(pairs[1]?.ratings.map((r) => r.round)).toEqual([1]);
    expect(pairs[1]?.decision).toBeUndefined();
    expect(pairs[2]?.human).toBe(true);
  });
});

describe('curatePair response', () => {
  it('is the cut text when the instruction was written for a segment cut to fit the context', () => {
    const long = segment(2, 'First sentence. Second sentence. Third sentence.');
    const cut = { ...candidate(2, 'What comes first?'), budget: { chars: 32, tokens: 8, originalTokens: 12 } } as Candidate;
    expect(curatePair(long, cut, [rating(2, 5)], undefined, undefined, A4).response).toBe('First sentence. Second sentence.');
    expect(curatePair(long, candidate(2, 'Q?'), [rating(2, 5)], undefined, undefined, A4).response).toBe('First sentence. Second sentence. Third sentence.');
  });
});
