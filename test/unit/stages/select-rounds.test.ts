import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { curatedSetOf, type CuratedSet } from '../../../src/core/curation/curated-set.ts';
import { funnelOf, walkPairs } from '../../../src/core/curation/walk.ts';
import { newRun, SCHEMA_VERSION, type Candidate, type HumanDecision, type Rating, type Segment } from '../../../src/core/records.ts';
import { augmentInputs, countCurateInputs } from '../../../src/core/stages/inputs.ts';
import { curateInputsAsSent } from '../../../src/core/tokens/stage-budget.ts';
import { compareRounds, compareRoundsInStore } from '../../../src/core/stages/rounds.ts';
import { keepRating, type SelectionRule } from '../../../src/core/stages/select.ts';

const model = { engine: 'scripted' as const, model: 'm' };
const rating = (seq: number, score: number | null, extra: Partial<Rating> = {}): Rating => ({
  schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: 'c', round: 0, score, reason: '', raw: score === null ? 'Score: 9' : `Score: ${score}`,
  parse: score === null ? 'unparsed' : 'parsed', curator: { model, promptVersion: 1, stageVersion: 1, mode: 'reasoned' }, createdAt: 0, ...extra,
});
const candidate = (seq: number, status = 'ok'): Candidate => ({
  schemaVersion: SCHEMA_VERSION, seq, segmentId: `s${seq}`, runId: 'a', instruction: `Q${seq}?`, raw: `Q${seq}?`, status,
  provenance: { model, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 }, mode: 'finetuned' }, createdAt: 0,
});
const decision = (seq: number, extra: Partial<HumanDecision>): HumanDecision => ({ schemaVersion: SCHEMA_VERSION, seq, augmentRunId: 'a', round: 0, ...extra });
/** Generation run 'a', rated by 'c' (round 0). */
const setOf = (rule: SelectionRule): CuratedSet =>
  curatedSetOf([{ ...newRun('augment', 1, {}, 1), id: 'a' }, { ...newRun('curate', 1, { augmentRunId: 'a', config: { round: 0 } }, 2), id: 'c', round: 0 }], { rule });
const segment = (seq: number): Segment => ({
  schemaVersion: SCHEMA_VERSION, seq, id: `s${seq}`, text: `Text ${seq}`, chars: 6, hash: `h${seq}`, provenance: { docId: 'd', path: 'a.txt', headers: [], offset: 0 },
});

describe('selection', () => {
  it('keeps by integer score and by expected score; a decision on a rating (schema 1) is not the rule\'s business', () => {
    const a4 = { by: 'score', threshold: 4 } as const;
    const a5 = { by: 'expected', threshold: 4.5 } as const;
    expect(keepRating(rating(0, 4), a4)).toEqual({ kept: true, reason: 'threshold', fallback: null });
    expect(keepRating(rating(0, 3), a4)).toEqual({ kept: false, reason: 'below', fallback: null });
    expect(keepRating(rating(0, null), a4)).toEqual({ kept: false, reason: 'unparsed', fallback: null });
    expect(keepRating(rating(0, 5, { expectedScore: 4.4, scoreMass: 0.9 }), a5)).toEqual({ kept: false, reason: 'below', fallback: null });
    expect(keepRating(rating(0, 4, { expectedScore: 4.5, scoreMass: 0.5 }), a5)).toEqual({ kept: true, reason: 'threshold', fallback: null });
    // The score tokens held under half the probability: the expectation is unreliable, the integer score decides.
    expect(keepRating(rating(0, 5, { expectedScore: 4.4, scoreMass: 0.4 }), a5)).toEqual({ kept: true, reason: 'threshold', fallback: 'unreliable' });
    expect(keepRating(rating(0, 5), a5)).toEqual({ kept: true, reason: 'threshold', fallback: 'no-probabilities' });
    expect(keepRating(rating(0, 5, { expectedScore: null }), a5)).toEqual({ kept: true, reason: 'threshold', fallback: 'no-probabilities' });
    // human decisions are records of their own, applied before the rule (core/curation/pair.ts)
    expect(keepRating(rating(0, 5, { decision: 'reject' }), a4)).toEqual({ kept: true, reason: 'threshold', fallback: null });
    expect(keepRating(rating(0, null, { decision: 'accept' }), a4)).toEqual({ kept: false, reason: 'unparsed', fallback: null });
  });

  it('counts every step of the funnel from the store, with the person\'s decisions', async () => {
    const store = new MemoryProjectStore();
    await store.put('segments', [0, 1, 2, 3, 4, 5, 6, 7].map(segment));
    await store.put('candidates:a', [candidate(0), candidate(1), candidate(2), candidate(3, 'empty'), candidate(4), candidate(5), candidate(6, 'too-long')]);
    await store.put('ratings:c', [rating(0, 5, { expectedScore: 4.8, scoreMass: 1 }), rating(1, 4, { expectedScore: 4.2, scoreMass: 1 }), rating(2, null), rating(4, 2), rating(5, 5, { expectedScore: 4.1, scoreMass: 0.2 })]);
    await store.put('decisions:a', [decision(4, { verdict: 'accept', decidedAt: 1 })]);
    const A5 = setOf({ by: 'expected', threshold: 4.5 });
    const f = await funnelOf(store, A5);
    expect(f).toEqual({
      segments: 8, candidates: 7, usable: 5, rated: 5, parsed: 4, kept: 3, humanAccepted: 1, humanRejected: 0, awaitingRating: 0, fallback: 0, unreliable: 1,
      candidateStatus: { ok: 5, empty: 1, 'too-long': 1 }, scores: { '5': 2, '4': 1, '2': 1, unparsed: 1 },
    });
    const kept = async (set: CuratedSet): Promise<number[]> => {
      const out: number[] = [];
      await walkPairs(store, set, (pairs) => void out.push(...pairs.filter((p) => p.status === 'kept').map((p) => p.seq)));
      return out;
    };
    expect(await kept(A5)).toEqual([0, 4, 5]);
    expect(await kept(setOf({ by: 'score', threshold: 4 }))).toEqual([0, 1, 4, 5]);
    // a reject and an edit since the rating: one more left out by a person, one waiting for a rating
    await store.put('decisions:a', [decision(0, { verdict: 'reject', decidedAt: 1 }), decision(3, { instruction: 'Written by hand?', editedAt: 5 })]);
    expect(await funnelOf(store, A5)).toMatchObject({ usable: 6, rated: 5, kept: 2, humanAccepted: 1, humanRejected: 1, awaitingRating: 1 });
    expect(await kept(A5)).toEqual([4, 5]);
  });

  it('counts only segments when nothing was generated', async () => {
    const store = new MemoryProjectStore();
    await store.put('segments', [0, 1, 2].map(segment));
    expect(await funnelOf(store, curatedSetOf([], null))).toMatchObject({ segments: 3, candidates: 0, kept: 0 });
  });
});

describe('rounds', () => {
  const first = [rating(0, 3), rating(1, 4, { expectedScore: 4.0 }), rating(2, null), rating(3, 5), rating(4, 2)];
  const second = [rating(0, 4, { round: 1 }), rating(1, 4, { round: 1, expectedScore: 4.5 }), rating(2, 5, { round: 1 }), rating(3, 3, { round: 1 }), rating(9, 1, { round: 1 })];
  const expected = {
    matrix: [
      [0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1, 0],
      [0, 0, 0, 1, 0, 0],
    ],
    paired: 4, bothParsed: 3, up: 1, down: 1, same: 1, meanDelta: (1 + 0 - 2) / 3, meanExpectedDelta: 0.5, onlyFirst: 1, onlySecond: 1,
  };
  it('shows how scores moved between two rounds', () => {
    expect(compareRounds(first, second)).toEqual(expected);
  });
  it('gives the same answer read from the store', async () => {
    const store = new MemoryProjectStore();
    await store.put('ratings:r0', first);
    await store.put('ratings:r1', second);
    expect(await compareRoundsInStore(store, 'r0', 'r1')).toEqual(expected);
  });
  it('has no mean with nothing to compare', () => {
    expect(compareRounds([rating(0, null)], [rating(0, 4)])).toMatchObject({ paired: 1, bothParsed: 0, meanDelta: null, meanExpectedDelta: null });
  });
});

describe('stage inputs from the store', () => {
  it('streams segments, and rates only usable candidates with their segment text', async () => {
    const store = new MemoryProjectStore();
    await store.put('segments', [0, 1, 2, 1500].map(segment));
    await store.put('candidates:a', [candidate(0), candidate(1, 'empty'), candidate(1500)]);
    const segs = [];
    for await (const s of augmentInputs(store)) segs.push(s);
    expect(segs).toEqual([0, 1, 2, 1500].map((seq) => ({ seq, segmentId: `s${seq}`, text: `Text ${seq}` })));
    const ps = [];
    for await (const p of curateInputsAsSent(store, 'a')) ps.push(p);
    expect(ps).toEqual([
      { seq: 0, segmentId: 's0', instruction: 'Q0?', response: 'Text 0' },
      { seq: 1500, segmentId: 's1500', instruction: 'Q1500?', response: 'Text 1500' },
    ]);
    expect(await countCurateInputs(store, 'a')).toBe(2);
  });

  it('rates a person\'s edit instead of the model\'s words, and only the seqs asked for', async () => {
    const store = new MemoryProjectStore();
    await store.put('segments', [0, 1, 2].map(segment));
    await store.put('candidates:a', [candidate(0), candidate(1, 'empty'), candidate(2)]);
    await store.put('decisions:a', [decision(1, { instruction: 'Fixed 1?', editedAt: 5 }), decision(2, { verdict: 'reject', decidedAt: 5 })]);
    const ps = [];
    for await (const p of curateInputsAsSent(store, 'a')) ps.push(p);
    expect(ps.map((p) => [p.seq, p.instruction])).toEqual([[0, 'Q0?'], [1, 'Fixed 1?'], [2, 'Q2?']]);
    expect(await countCurateInputs(store, 'a')).toBe(3);
    const only = [];
    for await (const p of curateInputsAsSent(store, 'a', [1])) only.push(p);
    expect(only).toEqual([{ seq: 1, segmentId: 's1', instruction: 'Fixed 1?', response: 'Text 1' }]);
    expect(await countCurateInputs(store, 'a', [1, 2])).toBe(2);
  });
});
