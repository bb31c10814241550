/**
 * The review state over 20,000 generated pairs in real IndexedDB: the compact index must give
 * exactly the rows and order core's own filter and sort give over full rows, the search must
 * find the texts, the charts must count what is shown, and decisions and edits must land in the
 * stored records and survive a fresh read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type PairQuery, type PairSort } from '../../../src/core/review/query.ts';
import type { Candidate, HumanDecision, Rating } from '../../../src/core/records.ts';
import { ReviewState, toQuery, noFilters, type ReviewFilters } from '../../../src/state/review/review.svelte.ts';
import { closeAll, expectedRows, generatedProject, instructionOf, pathOf, round1AtA4, score1, until, type Generated } from './fixture.ts';

const N = 20_000;
let g: Generated;
let review: ReviewState;
/** Round 1 decides at A4 (the saved choice). */
const rows = () => expectedRows(g, round1AtA4(g));

beforeAll(async () => {
  g = await generatedProject(N, { saveSelection: true });
  review = new ReviewState(g.ps);
  await review.open();
  await until(() => review.phase === 'ready', 'the index');
}, 120_000);
afterAll(closeAll);

const shownSeqs = (): number[] => Array.from(review.view, (pos) => review.index?.seq[pos] as number);

async function check(filters: Partial<ReviewFilters>, sort: PairSort = { key: 'seq', dir: 'asc' }): Promise<number[]> {
  review.sort = sort;
  await review.setFilters({ ...noFilters(), ...filters });
  const q: PairQuery = toQuery({ ...noFilters(), ...filters });
  const want = queryRows(rows(), q, sort).map((r) => r.seq);
  expect(shownSeqs()).toEqual(want);
  return want;
}

describe('review state over 20,000 pairs', () => {
  it('indexes every segment with the status core gives', async () => {
    expect(review.index?.size).toBe(N);
    expect(g.notices.items).toEqual([]);
    const counts = review.charts?.statuses;
    const all = rows();
    for (const s of ['kept', 'rejected', 'unparsed', 'failed', 'unrated'] as const) expect(counts?.[s]).toBe(all.filter((r) => r.status === s).length);
    // 500 unrated (the tail), 390 failed (every 50th of the generated), the rest split by round 1's score.
    expect(counts).toEqual({ kept: 7410, rejected: 11700, unparsed: 0, failed: 390, unrated: 500 });
  });

  it('filters by status, score range, round, source and length exactly as core does', async () => {
    expect((await check({ statuses: ['kept'] })).length).toBe(7410);
    expect((await check({ minScore: 2, maxScore: 3 })).length).toBeGreaterThan(0);
    await check({ statuses: ['failed', 'unrated'] });
    await check({ sources: [pathOf(3)] });
    await check({ minChars: 100, maxChars: 150 });
    await check({ lengthOf: 'instruction', minChars: 20, maxChars: 21 });
    await check({ rounds: [1], statuses: ['rejected'], sources: [pathOf(5)] });
    expect(await check({ minScore: 6 })).toEqual([]);
  });

  it('sorts by score, source, status and length as core does (nulls last, ties by seq)', async () => {
    await check({}, { key: 'score', dir: 'desc' });
    await check({}, { key: 'score', dir: 'asc' });
    await check({ statuses: ['kept', 'failed'] }, { key: 'source', dir: 'desc' });
    await check({}, { key: 'status', dir: 'asc' });
    await check({ maxChars: 80 }, { key: 'chars', dir: 'desc' });
    await check({}, { key: 'expectedScore', dir: 'asc' });
    review.sort = { key: 'seq', dir: 'asc' };
  });

  it('searches the stored texts: words and quoted phrases, case-insensitive', async () => {
    await review.setFilters({ ...noFilters(), search: '"question 1234 on"' });
    expect(shownSeqs()).toEqual([1234]);
    await review.setFilters({ search: 'PASSAGE krill "x end"' });
    // "x end" needs at least one x (i % 300 > 0); krill is in the passage when i % 7 === 1, or in a
    // generated instruction when 3i % 7 === 1.
    const hasInstruction = new Set(g.candidates.filter((c) => c.status === 'ok').map((c) => c.seq));
    const krill = (i: number) => i % 7 === 1 || (hasInstruction.has(i) && (3 * i) % 7 === 1);
    const want = g.segments.filter((s) => krill(s.seq) && s.seq % 300 > 0).map((s) => s.seq);
    expect(shownSeqs()).toEqual(want);
    await review.setFilters({ search: 'krill', statuses: ['kept'] });
    expect(shownSeqs()).toEqual(rows().filter((r) => r.status === 'kept' && krill(r.seq)).map((r) => r.seq));
    await review.setFilters(noFilters());
    expect(review.view.length).toBe(N);
  });

  it('counts the charts from the shown rows', async () => {
    await review.setFilters({ ...noFilters(), sources: [pathOf(0)] });
    const seqs = shownSeqs();
    const charts = review.charts;
    const round1 = charts?.rounds.find((r) => r.round === 1);
    const want = [0, 0, 0, 0, 0];
    for (const s of seqs) if (s < g.generated && s % 50 !== 3) want[score1(s) - 1] = (want[score1(s) - 1] ?? 0) + 1;
    expect(round1?.scores).toEqual(want);
    expect(charts?.funnel.map((f) => f.count)).toEqual([
      seqs.length,
      seqs.filter((s) => s < g.generated && s % 50 !== 3).length,
      seqs.filter((s) => s < g.generated && s % 50 !== 3).length,
      seqs.filter((s) => s < g.generated && s % 50 !== 3 && score1(s) >= 4).length,
    ]);
    expect(charts?.responseLengths.reduce((a, b) => a + b.count, 0)).toBe(seqs.length);
    await review.setFilters(noFilters());
  });

  it('saves accept, reject and edits as the person\'s decision records, leaving ratings and candidates as the models wrote them', async () => {
    await review.setFilters(noFilters());
    // seq 0: round 1 score 1 → rejected; accept it.
    review.select(0);
    await review.decide('accept');
    // seq 3 is a failed candidate with no instruction: accepting it cannot make it trainable; a notice says so.
    review.select(3);
    await review.decide('accept');
    expect(g.notices.items.map((n) => n.title)).toEqual(['No usable instruction']);
    // seq 1: score 4 → kept; reject it. seq 2: score 2 → rejected; edit its instruction.
    review.select(1);
    await review.decide('reject');
    review.select(2);
    await review.saveInstruction('A person wrote this instruction.');

    const store = g.ps.store;
    if (!store) throw new Error('no store');
    const decisions = `decisions:${g.augment.id}` as const;
    const [d0, d1, d2, d3] = await store.get<HumanDecision>(decisions, [0, 1, 2, 3]);
    expect(d0).toMatchObject({ seq: 0, augmentRunId: g.augment.id, verdict: 'accept', round: 1 });
    expect(d1).toMatchObject({ seq: 1, verdict: 'reject', round: 1 });
    expect(d2).toMatchObject({ seq: 2, instruction: 'A person wrote this instruction.', round: 1 });
    expect(d2?.verdict).toBeUndefined();
    expect(d2?.editedAt).toBeGreaterThan(g.ratings1[2]?.createdAt ?? Infinity);
    expect(d3).toBeUndefined();
    // The model's words stay on the candidate; no rating of any round carries a decision.
    const [c2] = await store.get<Candidate>(`candidates:${g.augment.id}`, [2]);
    expect(c2).toMatchObject({ instruction: instructionOf(2), raw: `Instruction: ${instructionOf(2)}`, status: 'ok' });
    expect(c2?.edited).toBeUndefined();
    for (const run of [g.round0, g.round1]) {
      expect((await store.get<Rating>(`ratings:${run.id}`, [0, 1, 2])).map((r) => r?.decision)).toEqual([undefined, undefined, undefined]);
    }

    // The index follows at once, and a fresh read (a reload) sees the same: the edited pair was
    // rated before the edit, so it waits for a rating.
    const statusOf = (r: ReviewState, seq: number) => r.index?.statusAt(r.index.posOf(seq));
    const shown = (r: ReviewState) => [statusOf(r, 0), statusOf(r, 1), statusOf(r, 2), r.index?.human(0), r.index?.human(1), r.index?.edited(2)];
    expect(shown(review)).toEqual(['kept', 'rejected', 'unrated', true, true, true]);
    const again = new ReviewState(g.ps);
    await again.open();
    await until(() => again.phase === 'ready', 'the second index');
    expect(shown(again)).toEqual(['kept', 'rejected', 'unrated', true, true, true]);
    // and it is exactly what core's join gives with these records
    const want = expectedRows(g, round1AtA4(g), new Map([[0, d0], [1, d1], [2, d2]].filter((e): e is [number, HumanDecision] => e[1] !== undefined)));
    for (const seq of [0, 1, 2, 4]) expect(statusOf(again, seq)).toBe(want[seq]?.status);

    // Clearing the decision gives the rating back its say; the record stays, without a verdict.
    review.select(0);
    await review.decide(null);
    const [cleared] = await store.get<HumanDecision>(decisions, [0]);
    expect(cleared?.verdict).toBeUndefined();
    expect(statusOf(review, 0)).toBe('rejected');
    expect(review.index?.human(0)).toBe(false);
  });
});
