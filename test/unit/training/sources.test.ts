/**
 * The two training sets read from a project: reversed seeds for the backward model (the
 * instruction is the target) and seed + kept curated pairs for the forward model, source-tagged.
 * Checked line by line after `prepareDataset`, i.e. exactly what a trainer would receive.
 */
import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { curatedSetOf, type CuratedSet, type CurationChoice } from '../../../src/core/curation/curated-set.ts';
import { writeExport } from '../../../src/core/export/stream.ts';
import { SOURCE_TAGS } from '../../../src/core/export/writers.ts';
import { DEFAULT_TEMPLATES, fillTemplate, type PromptTemplate } from '../../../src/core/stages/prompts.ts';
import { prepareDataset } from '../../../src/core/training/dataset.ts';
import { curatedLines, reversedSeedLines, type SourceLines } from '../../../src/core/training/sources.ts';
import type { ProjectStore } from '../../../src/ports/store.ts';
import { augmentRun, candidate, curateRun, decision, rating, seed, segment } from '../export/records.ts';

const FINETUNED = DEFAULT_TEMPLATES['augment-finetuned'];
/** The project's curated set for `choice` (null: the default, A4 with seeds), as every step resolves it. */
const setOf = async (store: ProjectStore, choice: CurationChoice | null = null): Promise<CuratedSet> => curatedSetOf(await store.listRuns(), choice);

async function project(): Promise<MemoryProjectStore> {
  const store = new MemoryProjectStore();
  await store.put('seeds', [seed(0, 'Seed Q1', 'Seed A1'), seed(1, 'Seed Q2', 'Seed A2')]);
  await store.put('segments', [0, 1, 2].map((i) => segment(i, `Segment ${i} text`)));
  await store.put('candidates:r_aug', [0, 1, 2].map((i) => candidate(i, `Question ${i}?`)), { runs: [augmentRun('r_aug', 1000), curateRun('r_cur0', 0, 2000)] });
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
    const src = await reversedSeedLines(await project(), FINETUNED);
    expect([src.lines, src.seeds, src.curated]).toEqual([2, 2, 0]);
    expect(await prepared(src)).toEqual([
      chat(FINETUNED.system, fillTemplate(FINETUNED.user, { segment: 'Seed A1' }), 'Seed Q1'),
      chat(FINETUNED.system, fillTemplate(FINETUNED.user, { segment: 'Seed A2' }), 'Seed Q2'),
    ]);
    expect(src.provenance).toBe('the seed pairs reversed, worded with the fine-tuned generation template "augment-finetuned" version 1');
  });

  it('reversed seeds are worded with the project\'s current fine-tuned template, the words generation will use', async () => {
    const edited: PromptTemplate = { ...FINETUNED, version: 3, system: 'Guess the question.', user: 'Answer:\n{{segment}}' };
    const src = await reversedSeedLines(await project(), edited);
    expect((await prepared(src))[0]).toEqual(chat('Guess the question.', 'Answer:\nSeed A1', 'Seed Q1'));
    expect(src.provenance).toContain('"augment-finetuned" version 3');
  });

  it('curated: tagged seeds first, then the pairs the curated set keeps (A4 by default)', async () => {
    const store = await project();
    const src = await curatedLines(store, await setOf(store));
    expect([src.lines, src.seeds, src.curated]).toEqual([4, 2, 2]);
    expect(await prepared(src)).toEqual([
      chat(SOURCE_TAGS.seed, 'Seed Q1', 'Seed A1'),
      chat(SOURCE_TAGS.seed, 'Seed Q2', 'Seed A2'),
      chat(SOURCE_TAGS.generated, 'Question 0?', 'Segment 0 text'),
      chat(SOURCE_TAGS.generated, 'Question 2?', 'Segment 2 text'),
    ]);
    expect(src.provenance).toBe('the curated set: latest rated generation run, latest round (M0), A4 (score ≥ 4), seed pairs included');
  });

  it('curated: A5 by expected score drops the 4.2 pair; without seeds only pairs remain', async () => {
    const store = await project();
    const src = await curatedLines(store, await setOf(store, { rule: { by: 'expected', threshold: 4.5 }, includeSeeds: false }));
    expect([src.lines, src.seeds, src.curated]).toEqual([1, 0, 1]);
    expect(await prepared(src)).toEqual([chat(SOURCE_TAGS.generated, 'Question 0?', 'Segment 0 text')]);
  });

  it('curated: the person\'s decisions and edits decide, as in Review and Export; the trainer gets the export\'s lines', async () => {
    // The Train step used to apply a rule of its own; now it sends the curated set, byte for byte
    // what a messages export of the same set holds.
    const store = await project();
    await store.put('decisions:r_aug', [
      decision(0, { verdict: 'reject', decidedAt: 3000 }),
      decision(1, { verdict: 'accept', decidedAt: 3000, instruction: 'Edited 1?', editedAt: 2900 }),
    ]);
    const set = await setOf(store, { rule: { by: 'score', threshold: 4 }, includeSeeds: false });
    const src = await curatedLines(store, set);
    expect(await prepared(src)).toEqual([
      chat(SOURCE_TAGS.generated, 'Edited 1?', 'Segment 1 text'),
      chat(SOURCE_TAGS.generated, 'Question 2?', 'Segment 2 text'),
    ]);
    const parts: Uint8Array[] = [];
    await writeExport(store, set, { format: 'messages', sourceTags: true, statuses: ['kept'] }, async (b) => void parts.push(b));
    expect(await src.jsonl.text()).toBe(new TextDecoder().decode(Buffer.concat(parts)));
  });

  it('a project with nothing generated yet gives the seeds alone, and no seeds gives an empty set', async () => {
    const store = new MemoryProjectStore();
    await store.put('seeds', [seed(0, 'Q', 'A')]);
    const src = await curatedLines(store, await setOf(store), { sourceTags: false });
    expect([src.lines, src.seeds, src.curated]).toEqual([1, 1, 0]);
    expect(await src.jsonl.text()).toBe('{"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}]}\n');
    expect(src.provenance).toBe('the curated set: seed pairs only (nothing generated yet), seed pairs included');
    const none = await reversedSeedLines(new MemoryProjectStore(), FINETUNED);
    expect([none.lines, await none.jsonl.text()]).toEqual([0, '']);
    const r = await prepareDataset(none.jsonl);
    expect(r.ok ? 'ok' : r.issue.code).toBe('empty-dataset');
  });
});
