/**
 * The two training sets read from a project: reversed seeds for the backward model (the
 * instruction is the target) and seed + kept curated pairs for the forward model, source-tagged.
 * Checked line by line after `prepareDataset`, i.e. exactly what a trainer would receive.
 */
import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { newRun } from '../../../src/core/records.ts';
import { SOURCE_TAGS } from '../../../src/core/export/writers.ts';
import { fillTemplate } from '../../../src/core/stages/prompts.ts';
import { BACKWARD_PROMPT } from '../../../src/core/seed/reverse.ts';
import { prepareDataset } from '../../../src/core/training/dataset.ts';
import { curatedLines, reversedSeedLines, type SourceLines } from '../../../src/core/training/sources.ts';
import { candidate, rating, seed, segment } from '../export/records.ts';

async function project(): Promise<MemoryProjectStore> {
  const store = new MemoryProjectStore();
  await store.put('seeds', [seed(0, 'Seed Q1', 'Seed A1'), seed(1, 'Seed Q2', 'Seed A2')]);
  await store.put('segments', [0, 1, 2].map((i) => segment(i, `Segment ${i} text`)));
  const augment = { ...newRun('augment', 1, {}, 1000), id: 'r_aug' };
  const curate = { ...newRun('curate', 1, {}, 2000), id: 'r_cur0' };
  await store.put('candidates:r_aug', [0, 1, 2].map((i) => candidate(i, `Question ${i}?`)), { runs: [augment, curate] });
  await store.put('ratings:r_cur0', [rating(0, 5), rating(1, 3), rating(2, 4, { expectedScore: 4.2 })]);
  return store;
}

async function prepared(src: SourceLines): Promise<unknown[]> {
  const r = await prepareDataset(src.jsonl);
  if (!r.ok) throw new Error(r.issue.message);
  expect(r.value.examples).toBe(src.lines);
  return (await r.value.blob.text()).trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

const chat = (system: string, user: string, assistant: string) => ({
  messages: [{ role: 'system', content: system }, { role: 'user', content: user }, { role: 'assistant', content: assistant }],
});

describe('training sources', () => {
  it('reversed seeds: the response is asked about, the instruction is the answer', async () => {
    const src = await reversedSeedLines(await project());
    expect([src.lines, src.seeds, src.curated]).toEqual([2, 2, 0]);
    expect(await prepared(src)).toEqual([
      chat(BACKWARD_PROMPT.system, fillTemplate(BACKWARD_PROMPT.user, { segment: 'Seed A1' }), 'Seed Q1'),
      chat(BACKWARD_PROMPT.system, fillTemplate(BACKWARD_PROMPT.user, { segment: 'Seed A2' }), 'Seed Q2'),
    ]);
  });

  it('curated: tagged seeds first, then the pairs the selection keeps (A4 by default)', async () => {
    const src = await curatedLines(await project());
    expect([src.lines, src.seeds, src.curated]).toEqual([4, 2, 2]);
    expect(await prepared(src)).toEqual([
      chat(SOURCE_TAGS.seed, 'Seed Q1', 'Seed A1'),
      chat(SOURCE_TAGS.seed, 'Seed Q2', 'Seed A2'),
      chat(SOURCE_TAGS.generated, 'Question 0?', 'Segment 0 text'),
      chat(SOURCE_TAGS.generated, 'Question 2?', 'Segment 2 text'),
    ]);
  });

  it('curated: A5 by expected score drops the 4.2 pair; without seeds only pairs remain', async () => {
    const src = await curatedLines(await project(), { selection: { minScore: 4.5, useExpected: true }, includeSeeds: false });
    expect([src.lines, src.seeds, src.curated]).toEqual([1, 0, 1]);
    expect(await prepared(src)).toEqual([chat(SOURCE_TAGS.generated, 'Question 0?', 'Segment 0 text')]);
  });

  it('a project with nothing generated yet gives the seeds alone, and no seeds gives an empty set', async () => {
    const store = new MemoryProjectStore();
    await store.put('seeds', [seed(0, 'Q', 'A')]);
    const src = await curatedLines(store, { sourceTags: false });
    expect([src.lines, src.seeds, src.curated]).toEqual([1, 1, 0]);
    expect(await src.jsonl.text()).toBe('{"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}]}\n');
    const none = await reversedSeedLines(new MemoryProjectStore());
    expect([none.lines, await none.jsonl.text()]).toEqual([0, '']);
    const r = await prepareDataset(none.jsonl);
    expect(r.ok ? 'ok' : r.issue.code).toBe('empty-dataset');
  });
});
