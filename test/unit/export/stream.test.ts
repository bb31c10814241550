import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { parseJsonl } from '../../../src/core/export/jsonl.ts';
import { DEFAULT_SELECTION } from '../../../src/core/curation/pair.ts';
import { pairSourceOf, writeExport, type ExportOptions, type ExportProgress, type PairSource } from '../../../src/core/export/stream.ts';
import { newRun } from '../../../src/core/records.ts';
import { candidate, failure, rating, seed, segment } from './records.ts';

const source: PairSource = { candidates: 'candidates:r_aug', ratings: ['ratings:r_cur0', 'ratings:r_cur1'], failures: ['failures:r_aug'] };
const options = (o: Partial<ExportOptions> = {}): ExportOptions => ({
  format: 'messages',
  includeSeeds: false,
  sourceTags: false,
  selection: DEFAULT_SELECTION,
  statuses: ['kept'],
  ...o,
});

/** A project: 2 seeds; segments 0..5 with kept, rejected, unparsed, failed, unrated, kept-by-human. */
async function project(): Promise<MemoryProjectStore> {
  const store = new MemoryProjectStore();
  await store.put('seeds', [seed(0, 'Seed Q1', 'Seed A1'), seed(1, 'Seed Q2\u2028', 'Seed A2 🐋')]);
  await store.put('segments', [0, 1, 2, 3, 4, 5].map((i) => segment(i, `Segment ${i} text`, i < 3 ? 'a.md' : 'b.md')));
  await store.put('candidates:r_aug', [0, 1, 2, 4, 5].map((i) => candidate(i, `Question ${i}?`)));
  await store.put('failures:r_aug', [failure(3)]);
  await store.put('ratings:r_cur0', [rating(0, 5), rating(1, 2), rating(2, null), rating(5, 1, { decision: 'accept' })]);
  await store.put('ratings:r_cur1', [rating(0, 4, { round: 1, runId: 'r_cur1' })]);
  return store;
}

async function run(store: MemoryProjectStore, o: ExportOptions, src: PairSource | 'nothing generated' = source) {
  const parts: Uint8Array[] = [];
  const progress: ExportProgress[] = [];
  const report = await writeExport(store, src === 'nothing generated' ? undefined : src, o, async (b) => void parts.push(b), { onProgress: (p) => progress.push(p) });
  const text = new TextDecoder().decode(Buffer.concat(parts));
  return { report, text, progress, parts };
}

describe('writeExport', () => {
  it('writes kept pairs (threshold and human accept) as exact lines', async () => {
    const { report, text } = await run(await project(), options());
    expect(text).toBe(
      '{"messages":[{"role":"user","content":"Question 0?"},{"role":"assistant","content":"Segment 0 text"}]}\n' +
        '{"messages":[{"role":"user","content":"Question 5?"},{"role":"assistant","content":"Segment 5 text"}]}\n',
    );
    expect(report.lines).toBe(2);
    expect(report.bytes).toBe(new TextEncoder().encode(text).byteLength);
    expect(report.replaced).toBe(0);
  });

  it('puts tagged seeds first when mixing, and counts bytes of multi-byte text', async () => {
    const { report, text } = await run(await project(), options({ includeSeeds: true, sourceTags: true, format: 'alpaca' }));
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
    const { values } = parseJsonl((await run(await project(), options({ format: 'full', statuses: ['rejected', 'unparsed', 'failed', 'unrated'] }))).text);
    expect(values.map((v) => [(v as { seq: number }).seq, (v as { status: string }).status])).toEqual([
      [1, 'rejected'],
      [2, 'unparsed'],
      [3, 'failed'],
      [4, 'unrated'],
    ]);
  });

  it('tallies every pair walked, not just the ones written', async () => {
    const { report } = await run(await project(), options());
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

  it('decides by the chosen round', async () => {
    // round 1 rated only seg 0 (score 4); seg 5's human accept was made in round 0, so it does not decide round 1
    const { text } = await run(await project(), options({ format: 'reversed', selection: { minScore: 4, useExpected: false, round: 1 } }));
    expect(text).toBe('{"input":"Segment 0 text","target":"Question 0?"}\n');
  });

  it('replaces lone surrogates in the data and reports how many', async () => {
    const store = await project();
    await store.put('candidates:r_aug', [candidate(0, 'Broken \ud800 question?')]);
    const { report, text } = await run(store, options({ format: 'sharegpt' }));
    expect(report.replaced).toBe(1);
    expect(text.split('\n')[0]).toBe('{"conversations":[{"from":"human","value":"Broken \ufffd question?"},{"from":"gpt","value":"Segment 0 text"}]}');
  });

  it('reports progress per stored chunk, ending at the total', async () => {
    const store = new MemoryProjectStore();
    await store.put('seeds', [seed(0, 'q', 'a')]);
    await store.put('segments', Array.from({ length: 2500 }, (_, i) => segment(i, `t${i}`)));
    await store.put('candidates:r_aug', Array.from({ length: 2500 }, (_, i) => candidate(i, `q${i}`)));
    await store.put('ratings:r_cur0', Array.from({ length: 2500 }, (_, i) => rating(i, (i % 5) + 1)));
    const { report, progress, parts } = await run(store, options({ includeSeeds: true }));
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
    const { text, report } = await run(store, options({ includeSeeds: true, format: 'reversed' }), 'nothing generated');
    expect(text).toBe('{"input":"Seed A1","target":"Seed Q1"}\n{"input":"Seed A2 🐋","target":"Seed Q2\\u2028"}\n');
    expect(report.tally.funnel.segments).toBe(0);
  });

  it('stops with an AbortError when cancelled', async () => {
    const store = await project();
    const ctl = new AbortController();
    ctl.abort();
    await expect(writeExport(store, source, options(), async () => undefined, { signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
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
    await expect(writeExport(store, source, options(), async (b) => void written.push(b.byteLength))).rejects.toThrow('disk gone');
    expect(written.length).toBe(2);
  });

  it('rejects with the sink\'s error and stops reading', async () => {
    const store = await bigProject();
    let calls = 0;
    const write = async () => {
      if (++calls === 2) throw new Error('disk full');
    };
    const progress: number[] = [];
    await expect(writeExport(store, source, options(), write, { onProgress: (p) => progress.push(p.done) })).rejects.toThrow('disk full');
    expect(progress).toEqual([1000]);
  });
});

describe('pairSourceOf', () => {
  it('takes the latest augment run and the curate runs after it, oldest first', () => {
    const aug1 = { ...newRun('augment', 1, {}, 100), id: 'a1' };
    const cur1 = { ...newRun('curate', 1, {}, 150), id: 'c1', round: 0 };
    const aug2 = { ...newRun('augment', 1, {}, 200), id: 'a2' };
    const cur3 = { ...newRun('curate', 1, {}, 400), id: 'c3', round: 1 };
    const cur2 = { ...newRun('curate', 1, {}, 300), id: 'c2', round: 0 };
    expect(pairSourceOf([cur3, aug1, cur1, aug2, cur2])).toEqual({
      candidates: 'candidates:a2',
      ratings: ['ratings:c2', 'ratings:c3'],
      failures: ['failures:a2', 'failures:c2', 'failures:c3'],
    });
    expect(pairSourceOf([cur1])).toBeUndefined();
  });
});
