import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { curatedSetOf, type CuratedSet, type CurationChoice } from '../../../src/core/curation/curated-set.ts';
import { parseJsonl } from '../../../src/core/export/jsonl.ts';
import { writeExport, type ExportChoice, type ExportProgress } from '../../../src/core/export/stream.ts';
import { augmentRun, candidate, curatedSet, curateRun, decision, failure, rating, seed, segment } from './records.ts';

/** The project's runs: one generation run, rated in round 0 (r_cur0) and round 1 (r_cur1, seg 0 only). */
const RUNS = [augmentRun(), curateRun('r_cur0', 0, 200), curateRun('r_cur1', 1, 300)];
/** The set the tests export: round 0 chosen as the deciding round, A4, seeds left out unless asked. */
const setWith = (patch: Partial<CurationChoice> = {}): CuratedSet =>
  curatedSet({ augmentRunId: 'r_aug', curateRunId: 'r_cur0', rule: { by: 'score', threshold: 4 }, includeSeeds: false, ...patch }, RUNS);
const SET = setWith();
const choice = (o: Partial<ExportChoice> = {}): ExportChoice => ({ format: 'messages', sourceTags: false, statuses: ['kept'], ...o });

/** A project: 2 seeds; segments 0..5 with kept, rejected, unparsed, failed, unrated, kept-by-human (a decision record). */
async function project(): Promise<MemoryProjectStore> {
  const store = new MemoryProjectStore();
  await store.put('seeds', [seed(0, 'Seed Q1', 'Seed A1'), seed(1, 'Seed Q2\u2028', 'Seed A2 🐋')]);
  await store.put('segments', [0, 1, 2, 3, 4, 5].map((i) => segment(i, `Segment ${i} text`, i < 3 ? 'a.md' : 'b.md')));
  await store.put('candidates:r_aug', [0, 1, 2, 4, 5].map((i) => candidate(i, `Question ${i}?`)));
  await store.put('failures:r_aug', [failure(3)]);
  await store.put('ratings:r_cur0', [rating(0, 5), rating(1, 2), rating(2, null), rating(5, 1)]);
  await store.put('ratings:r_cur1', [rating(0, 4, { round: 1, runId: 'r_cur1' })]);
  await store.put('decisions:r_aug', [decision(5, { verdict: 'accept', decidedAt: 2500 })]);
  return store;
}

async function run(store: MemoryProjectStore, c: ExportChoice, set: CuratedSet = SET) {
  const parts: Uint8Array[] = [];
  const progress: ExportProgress[] = [];
  const report = await writeExport(store, set, c, async (b) => void parts.push(b), { onProgress: (p) => progress.push(p) });
  const text = new TextDecoder().decode(Buffer.concat(parts));
  return { report, text, progress, parts };
}

describe('writeExport', () => {
  it('writes kept pairs (threshold and human accept) as exact lines', async () => {
    const { report, text } = await run(await project(), choice());
    expect(text).toBe(
      '{"messages":[{"role":"user","content":"Question 0?"},{"role":"assistant","content":"Segment 0 text"}]}\n' +
        '{"messages":[{"role":"user","content":"Question 5?"},{"role":"assistant","content":"Segment 5 text"}]}\n',
    );
    expect(report.lines).toBe(2);
    expect(report.bytes).toBe(new TextEncoder().encode(text).byteLength);
    expect(report.replaced).toBe(0);
  });

  it('puts tagged seeds first when mixing, and counts bytes of multi-byte text', async () => {
    const { report, text } = await run(await project(), choice({ sourceTags: true, format: 'alpaca' }), setWith({ includeSeeds: true }));
    expect(text.split('\n')).toEqual([
      '{"instruction":"Seed Q1","input":"","output":"Seed A1","system":"Answer in the style of an AI Assistant."}',
      '{"instruction":"Seed Q2\\u2028","input":"","output":"Seed A2 🐋","system":"Answer in the style of an AI Assistant."}',
      '{"instruction":"Question 0?","input":"","output":"Segment 0 text","system":"Answer with knowledge from web search."}',
      '{"instruction":"Question 5?","input":"","output":"Segment 5 text","system":"Answer with knowledge from web search."}',
      '',
    ]);
    expect(report.bytes).toBe(Buffer.byteLength(text, 'utf8'));
    expect(report.tally.written).toEqual({ seed: 2, generated: 2 });
  });

  it('writes whichever statuses are asked for, in seq order', async () => {
    const { values } = parseJsonl((await run(await project(), choice({ format: 'full', statuses: ['rejected', 'unparsed', 'failed', 'unrated'] }))).text);
    expect(values.map((v) => [(v as { seq: number }).seq, (v as { status: string }).status])).toEqual([
      [1, 'rejected'],
      [2, 'unparsed'],
      [3, 'failed'],
      [4, 'unrated'],
    ]);
  });

  it('tallies every pair walked, not just the ones written', async () => {
    const { report } = await run(await project(), choice());
    const t = report.tally;
    expect(t.byStatus).toEqual({ kept: 2, rejected: 1, unparsed: 1, failed: 1, unrated: 1 });
    expect(t.funnel).toEqual({ segments: 6, candidates: 5, rated: 4, kept: 2 });
    expect(t.rounds).toEqual([
      { round: 0, scores: [1, 1, 0, 0, 1], unparsed: 1, expected: [0, 0, 0, 0, 0, 0, 0, 0] },
      { round: 1, scores: [0, 0, 0, 1, 0], unparsed: 0, expected: [0, 0, 0, 0, 0, 0, 0, 0] },
    ]);
    expect(t.augmentModels).toEqual({ 'scripted:backward-1': 5 });
    expect(t.curatorModels).toEqual({ 'round 0: scripted:forward-0': 4, 'round 1: scripted:forward-0': 1 });
    expect(t.humanDecisions).toBe(1);
    expect(t.instructionChars).toEqual({ n: 2, sum: 22, sumSq: 242, max: 11 });
  });

  it('decides by the set\'s round, and a person\'s accept holds in every round', async () => {
    // No run picked: the latest round (r_cur1) decides. It rated only seg 0 (score 4), so segs 1
    // and 2 wait for it; seg 5's accept, made while round 0 decided, still keeps it.
    const set = curatedSet({ rule: { by: 'score', threshold: 4 }, includeSeeds: false }, RUNS);
    expect(set.deciders).toEqual(['r_cur1']);
    const { text, report } = await run(await project(), choice({ format: 'reversed' }), set);
    expect(text).toBe('{"input":"Segment 0 text","target":"Question 0?"}\n{"input":"Segment 5 text","target":"Question 5?"}\n');
    expect(report.tally.byStatus).toEqual({ kept: 2, rejected: 0, unparsed: 0, failed: 1, unrated: 3 });
    expect(report.options.selection).toEqual({ minScore: 4, useExpected: false, round: 1 });
    // a person's reject holds through a later round that would keep the pair
    const store = await project();
    await store.put('decisions:r_aug', [decision(0, { verdict: 'reject', decidedAt: 2500 })]);
    expect((await run(store, choice({ format: 'reversed' }), set)).text).toBe('{"input":"Segment 5 text","target":"Question 5?"}\n');
  });

  it('writes an edited pair with the person\'s words, and only once a rating after the edit keeps it', async () => {
    const store = await project();
    // edited after its round-0 rating (createdAt 2000): that rating no longer decides
    await store.put('decisions:r_aug', [decision(0, { instruction: 'Edited 0?', editedAt: 2600 })]);
    const before = await run(store, choice({ format: 'full', statuses: ['kept', 'unrated'] }));
    expect(parseJsonl(before.text).values).toMatchObject([
      { seq: 0, status: 'unrated', instruction: 'Edited 0?', edited: true },
      { seq: 4, status: 'unrated' },
      { seq: 5, status: 'kept', human: true },
    ]);
    // an "edited pairs" run of round 0, started after the deciding run, rates it
    const runs = [...RUNS, curateRun('r_cur0e', 0, 400, { scope: 'edited' })];
    const set = curatedSetOf(runs, { augmentRunId: 'r_aug', curateRunId: 'r_cur0', rule: { by: 'score', threshold: 4 }, includeSeeds: false });
    expect(set.deciders).toEqual(['r_cur0', 'r_cur0e']);
    await store.put('ratings:r_cur0e', [rating(0, 4, { runId: 'r_cur0e', createdAt: 2700 })]);
    const after = await run(store, choice(), set);
    expect(after.text.split('\n')[0]).toBe('{"messages":[{"role":"user","content":"Edited 0?"},{"role":"assistant","content":"Segment 0 text"}]}');
    expect(after.report.lines).toBe(2);
  });

  it('replaces lone surrogates in the data and reports how many', async () => {
    const store = await project();
    await store.put('candidates:r_aug', [candidate(0, 'Broken \ud800 question?')]);
    const { report, text } = await run(store, choice({ format: 'sharegpt' }));
    expect(report.replaced).toBe(1);
    expect(text.split('\n')[0]).toBe('{"conversations":[{"from":"human","value":"Broken \ufffd question?"},{"from":"gpt","value":"Segment 0 text"}]}');
  });

  it('reports progress per stored chunk, ending at the total', async () => {
    const store = new MemoryProjectStore();
    await store.put('seeds', [seed(0, 'q', 'a')]);
    await store.put('segments', Array.from({ length: 2500 }, (_, i) => segment(i, `t${i}`)));
    await store.put('candidates:r_aug', Array.from({ length: 2500 }, (_, i) => candidate(i, `q${i}`)));
    await store.put('ratings:r_cur0', Array.from({ length: 2500 }, (_, i) => rating(i, (i % 5) + 1)));
    const { report, progress, parts } = await run(store, choice(), setWith({ includeSeeds: true }));
    expect(report.lines).toBe(1 + 1000);
    const last = progress[progress.length - 1];
    expect(last).toEqual({ phase: 'pairs', done: 2501, total: 2501, lines: 1001, bytes: report.bytes });
    expect(progress.map((p) => [p.phase, p.done])).toEqual([
      ['seeds', 1],
      ['pairs', 1001],
      ['pairs', 2001],
      ['pairs', 2501],
      ['pairs', 2501],
    ]);
    // one write per stored chunk: memory is bounded by a chunk, not by the project
    expect(parts.map((b) => new TextDecoder().decode(b).split('\n').length - 1)).toEqual([1, 400, 400, 200]);
  });

  it('writes only seeds when nothing was generated', async () => {
    const store = await project();
    const { text, report } = await run(store, choice({ format: 'reversed' }), curatedSetOf([], null));
    expect(text).toBe('{"input":"Seed A1","target":"Seed Q1"}\n{"input":"Seed A2 🐋","target":"Seed Q2\\u2028"}\n');
    expect(report.tally.funnel.segments).toBe(0);
  });

  it('stops with an AbortError when cancelled', async () => {
    const store = await project();
    const ctl = new AbortController();
    ctl.abort();
    await expect(writeExport(store, SET, choice(), async () => undefined, { signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('writeExport failures', () => {
  async function bigProject(): Promise<MemoryProjectStore> {
    const store = new MemoryProjectStore();
    await store.put('segments', Array.from({ length: 3500 }, (_, i) => segment(i, `t${i}`)));
    await store.put('candidates:r_aug', Array.from({ length: 3500 }, (_, i) => candidate(i, `q${i}`)));
    await store.put('ratings:r_cur0', Array.from({ length: 3500 }, (_, i) => rating(i, 5)));
    return store;
  }

  it('rejects with the store\'s error when a read fails mid-way, after writing the chunks before it', async () => {
    const store = await bigProject();
    let gets = 0;
    const get = store.get.bind(store);
    store.get = (async (c: Parameters<typeof get>[0], seqs: readonly number[]) => {
      if (c === 'ratings:r_cur0' && ++gets === 3) throw new Error('disk gone');
      return get(c, seqs);
    }) as typeof store.get;
    const written: number[] = [];
    await expect(writeExport(store, SET, choice(), async (b) => void written.push(b.byteLength))).rejects.toThrow('disk gone');
    expect(written.length).toBe(2);
  });

  it('rejects with the sink\'s error and stops reading', async () => {
    const store = await bigProject();
    let calls = 0;
    const write = async () => {
      if (++calls === 2) throw new Error('disk full');
    };
    const progress: number[] = [];
    await expect(writeExport(store, SET, choice(), write, { onProgress: (p) => progress.push(p.done) })).rejects.toThrow('disk full');
    expect(progress).toEqual([1000]);
  });
});

describe('writeExport of the curated set\'s generation run', () => {
  // Before the curated set, the export took "the newest generation run and every rating run after
  // it": a small trial run swapped the pool for its unrated candidates, and rating runs of the other
  // generation run were mixed in. Now it writes the set's run, rated by that run's rating runs only.
  it('keeps the rated run when a newer trial run is unrated, and never mixes another run\'s ratings', async () => {
    const store = await project();
    await store.put('candidates:r_trial', [candidate(0, 'Trial 0?', { runId: 'r_trial' })]);
    const trialRuns = [...RUNS, augmentRun('r_trial', 500), curateRun('r_cur_late', 0, 600, { augmentRunId: 'r_other' })];
    const set = curatedSetOf(trialRuns, null);
    expect(set.source).toEqual({
      candidates: 'candidates:r_aug',
      ratings: ['ratings:r_cur0', 'ratings:r_cur1'],
      failures: ['failures:r_aug', 'failures:r_cur0', 'failures:r_cur1'],
      decisions: 'decisions:r_aug',
    });
    const { text } = await run(store, choice({ format: 'reversed' }), { ...set, includeSeeds: false });
    expect(text).toBe('{"input":"Segment 0 text","target":"Question 0?"}\n{"input":"Segment 5 text","target":"Question 5?"}\n');
  });

  it('writes the trial run when the user picks it: unrated, so only what a person accepted', async () => {
    const store = await project();
    await store.put('candidates:r_trial', [candidate(0, 'Trial 0?', { runId: 'r_trial' }), candidate(1, 'Trial 1?', { runId: 'r_trial' })]);
    await store.put('decisions:r_trial', [decision(1, { augmentRunId: 'r_trial', verdict: 'accept', round: null })]);
    const set = curatedSetOf([...RUNS, augmentRun('r_trial', 500)], { augmentRunId: 'r_trial', rule: { by: 'score', threshold: 4 }, includeSeeds: false });
    expect(set).toMatchObject({ augmentRunId: 'r_trial', decidingRunId: null, deciders: [] });
    const { text, report } = await run(store, choice({ format: 'reversed' }), set);
    expect(text).toBe('{"input":"Segment 1 text","target":"Trial 1?"}\n');
    expect(report.tally.byStatus).toMatchObject({ kept: 1, unrated: 5 });
  });
});
