/**
 * A person's decisions through a project's life: they survive re-rates and new rounds, edited
 * pairs move on without a full re-rate, and the default set says what it is.
 */
import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { curatedSetOf, readChoice, type CurationChoice } from '../../../src/core/curation/curated-set.ts';
import { decisionWords, withInstruction, withVerdict } from '../../../src/core/curation/decisions.ts';
import { overridesOf } from '../../../src/core/curation/overrides.ts';
import { awaitingRatingSeqs, funnelOf, pairsBySeq } from '../../../src/core/curation/walk.ts';
import { newRun, type HumanDecision, type Run } from '../../../src/core/records.ts';
import { curateInputsAsSent } from '../../../src/core/tokens/stage-budget.ts';
import { countCurateInputs } from '../../../src/core/stages/inputs.ts';
import { candidate, rating, segment } from '../export/records.ts';

let clock = 1_000;
const tick = () => (clock += 1000);

async function project() {
  const store = new MemoryProjectStore();
  const runs: Run[] = [];
  await store.put('segments', [0, 1, 2, 3].map((q) => segment(q, `Passage ${q}.`)));
  const aug = newRun('augment', 1, {}, tick());
  runs.push(aug);
  await store.putRun(aug);
  await store.put(`candidates:${aug.id}`, [0, 1, 2, 3].map((q) => candidate(q, `Q${q}?`, { runId: aug.id })));
  const rateRun = async (round: number, scores: Record<number, number>, extra: Record<string, unknown> = {}) => {
    const run = newRun('curate', 1, { augmentRunId: aug.id, config: { round }, ...extra }, tick());
    run.round = round;
    runs.push(run);
    await store.putRun(run);
    await store.put(`ratings:${run.id}`, Object.entries(scores).map(([q, s]) => rating(Number(q), s, { runId: run.id, round, createdAt: run.createdAt })));
    return run;
  };
  const decide = async (seq: number, make: (prev: HumanDecision | undefined) => HumanDecision) => {
    const [prev] = await store.get<HumanDecision>(`decisions:${aug.id}`, [seq]);
    await store.put(`decisions:${aug.id}`, [make(prev)]);
  };
  const set = (choice: CurationChoice | null = null) => curatedSetOf(runs, choice);
  const statuses = async (choice: CurationChoice | null = null) => (await pairsBySeq(store, set(choice), [0, 1, 2, 3])).map((p) => p.status);
  return { store, runs, aug, rateRun, decide, set, statuses };
}

describe('human decisions', () => {
  it('a rejected pair stays rejected through a re-rate of its round and through round 2', async () => {
    const p = await project();
    await p.rateRun(0, { 0: 5, 1: 5, 2: 2, 3: 4 });
    await p.decide(1, (prev) => withVerdict(prev, p.set(), 1, 'reject', tick()));
    await p.decide(2, (prev) => withVerdict(prev, p.set(), 2, 'accept', tick()));
    expect(await p.statuses()).toEqual(['kept', 'rejected', 'kept', 'kept']);
    await p.rateRun(0, { 0: 5, 1: 5, 2: 1, 3: 3 }); // a re-rate of round 0
    expect(await p.statuses()).toEqual(['kept', 'rejected', 'kept', 'rejected']);
    const m1 = await p.rateRun(1, { 0: 4, 1: 5, 2: 1, 3: 5 });
    expect(p.set().decidingRunId).toBe(m1.id);
    expect(await p.statuses()).toEqual(['kept', 'rejected', 'kept', 'kept']);
    // The round comparison says where M1 disagrees with the person.
    const o = await overridesOf(p.store, p.set(), m1.id, 1);
    expect(o).toEqual({ rejected: 1, accepted: 1, examples: [{ seq: 1, words: 'rejected by you in round 0; M1 gave 5' }, { seq: 2, words: 'accepted by you in round 0; M1 gave 1' }] });
    // Clearing the verdict hands the pair back to the rating.
    await p.decide(1, (prev) => withVerdict(prev, p.set(), 1, null, tick()));
    expect((await p.statuses())[1]).toBe('kept');
    const f = await funnelOf(p.store, p.set());
    expect([f.kept, f.humanAccepted, f.humanRejected]).toEqual([4, 1, 0]);
  });

  it('an edited pair can be accepted as is, without any rating', async () => {
    const p = await project();
    await p.decide(0, (prev) => withInstruction(prev, p.set(), 0, 'Explain passage 0 in two lines.', tick()));
    let [pair] = await pairsBySeq(p.store, p.set(), [0]);
    expect(pair).toMatchObject({ status: 'unrated', edited: true, awaitingRating: true, instruction: 'Explain passage 0 in two lines.' });
    await p.decide(0, (prev) => withVerdict(prev, p.set(), 0, 'accept', tick()));
    [pair] = await pairsBySeq(p.store, p.set(), [0]);
    expect(pair).toMatchObject({ status: 'kept', human: true, awaitingRating: false });
    expect(decisionWords(pair?.decision)).toBe('accepted by you before any rating; instruction edited by you');
  });

  it('an edit after a rating sets that rating aside; "Rate the edited pairs" rates only those, and its rating decides', async () => {
    const p = await project();
    await p.rateRun(0, { 0: 5, 1: 2, 2: 5, 3: 5 });
    await p.decide(1, (prev) => withInstruction(prev, p.set(), 1, 'A clearer Q1?', tick()));
    await p.decide(2, (prev) => withInstruction(prev, p.set(), 2, 'A worse Q2?', tick()));
    await p.decide(3, (prev) => withVerdict(withInstruction(prev, p.set(), 3, 'Q3, edited and rejected', tick()), p.set(), 3, 'reject', tick()));
    expect(await p.statuses()).toEqual(['kept', 'unrated', 'unrated', 'rejected']);
    const only = await awaitingRatingSeqs(p.store, p.set());
    expect(only).toEqual([1, 2]);
    // The stage rates the person's words, and only those pairs.
    const inputs = [];
    for await (const i of curateInputsAsSent(p.store, p.aug.id, only)) inputs.push([i.seq, i.instruction]);
    expect(inputs).toEqual([[1, 'A clearer Q1?'], [2, 'A worse Q2?']]);
    expect(await countCurateInputs(p.store, p.aug.id, only)).toBe(2);
    await p.rateRun(0, { 1: 4, 2: 2 }, { scope: 'edited', only });
    expect(p.set().deciders).toHaveLength(2);
    expect(await p.statuses()).toEqual(['kept', 'kept', 'rejected', 'rejected']);
    // A failed candidate rewritten by hand becomes ratable too.
    await p.store.put(`candidates:${p.aug.id}`, [candidate(0, '', { runId: p.aug.id, status: 'empty' })]);
    expect(await countCurateInputs(p.store, p.aug.id)).toBe(3);
  });
});

describe('the curated set', () => {
  it('defaults to the latest rated generation run, its latest round and A4, and says so', async () => {
    const p = await project();
    expect(p.set().label).toBe('latest generation run, not rated yet, A4 (score ≥ 4), seed pairs included');
    const m0 = await p.rateRun(0, { 0: 5 });
    expect(p.set()).toMatchObject({ chosen: false, augmentRunId: p.aug.id, decidingRunId: m0.id, round: 0 });
    expect(p.set().label).toBe('latest rated generation run, latest round (M0), A4 (score ≥ 4), seed pairs included');
    // A small trial generation run afterwards does not swap the pool for its unrated candidates.
    const trial = newRun('augment', 1, {}, tick());
    p.runs.push(trial);
    expect(p.set().augmentRunId).toBe(p.aug.id);
  });

  it('keeps a pinned rating run until the user follows the latest again; a stale choice falls back', async () => {
    const p = await project();
    const m0 = await p.rateRun(0, { 0: 5, 1: 3 });
    const m1 = await p.rateRun(1, { 0: 2, 1: 4 });
    const pinned: CurationChoice = { augmentRunId: p.aug.id, curateRunId: m0.id, rule: { by: 'score', threshold: 4 } };
    expect(await p.statuses(pinned)).toEqual(['kept', 'rejected', 'unrated', 'unrated']);
    expect(await p.statuses(null)).toEqual(['rejected', 'kept', 'unrated', 'unrated']);
    expect(p.set({ ...pinned, curateRunId: 'r_gone', augmentRunId: 'r_gone' }).decidingRunId).toBe(m1.id);
    expect(readChoice({ rule: { by: 'score', threshold: 'x' } })).toBeNull();
    expect(readChoice({ rule: { by: 'expected', threshold: 4.5 }, includeSeeds: false })).toEqual({ rule: { by: 'expected', threshold: 4.5 }, includeSeeds: false });
  });
});
