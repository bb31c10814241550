/**
 * The seed step's state against real IndexedDB in Chromium: hand-written fixtures (fetched from
 * the dev server) dropped as files, exact kept counts per file and overall, duplicates across
 * files and against pairs stored earlier, re-import in another format, delete, and everything
 * read back by a fresh state as after a reload.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { PickedFile } from '../../../src/adapters/file-drop.ts';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { seedReportKey } from '../../../src/adapters/seed-store.ts';
import { newProject, type DocumentRecord, type SeedPair } from '../../../src/core/records.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';
import { SeedState } from '../../../src/state/seed/seeds.svelte.ts';
import { gzip } from '../../support/gzip.ts';

const made: string[] = [];
let catalog = new IdbCatalog();

afterEach(async () => {
  for (const id of made.splice(0)) await catalog.deleteProject(id);
});

async function fixture(name: string, as = name): Promise<PickedFile> {
  const res = await fetch(`/test/fixtures/seed/${name}`);
  if (!res.ok) throw new Error(`fixture ${name}: HTTP ${res.status}`);
  return { file: new File([await res.blob()], as), path: as };
}

async function freshProject(): Promise<{ ps: ProjectState; seeds: SeedState }> {
  const project = newProject('Seed test');
  await catalog.putProject(project);
  made.push(project.id);
  const ps = new ProjectState(project, catalog, new Notices());
  await ps.open();
  return { ps, seeds: ps.part('seeds', (p) => new SeedState(p)) };
}

/** A new catalog, project state and seed state for the same project, as after a page reload. */
async function reopen(ps: ProjectState): Promise<{ ps: ProjectState; seeds: SeedState }> {
  await ps.store?.close();
  catalog = new IdbCatalog();
  const project = await catalog.getProject(ps.id);
  if (!project) throw new Error('project vanished');
  const again = new ProjectState(project, catalog, new Notices());
  const seeds = again.part('seeds', (p) => new SeedState(p));
  await seeds.load();
  return { ps: again, seeds };
}

const fileSummary = (seeds: SeedState) =>
  seeds.files.map((f) => [f.doc.path, f.doc.status, f.report?.kept ?? null, f.crossDuplicates, f.doc.produced]);
const totalCounts = (seeds: SeedState) => seeds.totals.steps.map((s) => [s.id, s.before, s.after, s.dropped]);
const pairRows = (pairs: readonly SeedPair[]) => pairs.map((p) => [p.seq, p.source.path, p.source.row, p.instruction]);

describe('seed state', () => {
  test('imports files with exact counts, drops duplicates across files, and reads it all back after a reload', async () => {
    const { ps, seeds } = await freshProject();
    await seeds.load();
    await seeds.importFiles([await fixture('guanaco.jsonl'), await fixture('oasst-flat.jsonl'), await fixture('oasst-tree.jsonl')]);

    expect(ps.notices.items).toEqual([]);
    expect(fileSummary(seeds)).toEqual([
      ['guanaco.jsonl', 'done', 2, 0, 2],
      ['oasst-flat.jsonl', 'done', 1, 0, 1],
      // The tree export holds the same egg answer as the flat one: nothing new.
      ['oasst-tree.jsonl', 'skipped', 1, 1, 0],
    ]);
    expect(seeds.files[2]?.doc.message).toBe('Every pair this file kept is already in the project.');
    expect(pairRows(seeds.pairs)).toEqual([
      [0, 'guanaco.jsonl', 1, 'What is the capital of France?'],
      [1, 'guanaco.jsonl', 15, 'Name three primary colors.'],
      [2, 'oasst-flat.jsonl', 2, 'How do I boil an egg?'],
    ]);
    expect(seeds.totals.rows).toBe(14 + 21 + 8);
    expect(seeds.totals.candidates).toBe(6 + 5 + 5);
    expect(totalCounts(seeds)).toEqual([
      ['single-turn', 16, 13, { 'multi-turn': 1, 'later-turn': 2 }],
      ['language', 13, 10, { 'not-english': 3 }],
      ['top-rank', 10, 6, { 'rank-not-0': 2, unranked: 2 }],
      ['empty', 6, 5, { 'empty-instruction': 1 }],
      ['duplicate', 5, 4, { duplicate: 1 }],
      ['across-files', 4, 3, { 'in-another-file': 1 }],
    ]);
    expect(seeds.totals.stored).toBe(3);
    expect(seeds.stats.languages).toEqual([['en', 3]]);
    expect(seeds.stats.instruction.mean).toBeCloseTo((30 + 26 + 21) / 3, 10);
    expect(ps.count('seeds')).toBe(3);

    // The store holds the same: documents marked as seed files, reports in meta.
    const store = ps.store;
    if (!store) throw new Error('no store');
    const docs = await store.listDocs();
    expect(docs.map((d) => [d.path, d.collection, d.firstSeq, d.produced])).toEqual([
      ['guanaco.jsonl', 'seeds', 0, 2],
      ['oasst-flat.jsonl', 'seeds', 2, 1],
      ['oasst-tree.jsonl', 'seeds', undefined, 0],
    ]);
    const meta = await store.getMeta<{ report: { issues: Record<string, number> } }>(seedReportKey(docs[0]?.id ?? ''));
    expect(meta?.report.issues).toEqual({
      'marker-in-reply': 1, 'wrong-order': 1, 'not-string': 1, 'missing-field': 1,
      'malformed-json': 1, 'empty-text': 1, 'no-turns': 1, 'not-an-object': 1,
    });

    const after = await reopen(ps);
    expect(fileSummary(after.seeds)).toEqual(fileSummary(seeds));
    expect(pairRows(after.seeds.pairs)).toEqual(pairRows(seeds.pairs));
    expect(totalCounts(after.seeds)).toEqual(totalCounts(seeds));
    expect(after.seeds.isHeld(seeds.files[0]?.doc.id ?? '')).toBe(false);

    // Dropping the same pairs again in a later session adds nothing: they are duplicates of stored pairs.
    await after.seeds.importFiles([await fixture('guanaco.jsonl', 'guanaco copy.jsonl')]);
    expect(fileSummary(after.seeds).at(-1)).toEqual(['guanaco copy.jsonl', 'skipped', 2, 2, 0]);
    expect(after.seeds.pairs).toHaveLength(3);
  });

  test('re-imports a held file in another format, then deletes a file and continues seqs after the rest', async () => {
    const { ps, seeds } = await freshProject();
    await seeds.importFiles([await fixture('guanaco.jsonl'), await fixture('lima.jsonl')]);
    const guanaco = seeds.files[0]?.doc as DocumentRecord;
    expect(seeds.isHeld(guanaco.id)).toBe(true);

    await seeds.reimport(guanaco.id, 'alpaca');
    const forced = seeds.files[0];
    expect(forced?.choice).toBe('alpaca');
    expect(forced?.report?.format).toBe('alpaca');
    expect(forced?.report?.issues).toEqual({ 'missing-field': 12, 'malformed-json': 1, 'not-an-object': 1 });
    expect(forced?.doc.produced).toBe(0);
    expect(pairRows(seeds.pairs)).toEqual([[2, 'lima.jsonl', 1, 'How can I keep basil fresh for longer?']]);

    await seeds.reimport(guanaco.id, 'auto');
    expect(seeds.files.map((f) => f.doc.path)).toEqual(['guanaco.jsonl', 'lima.jsonl']);
    expect(seeds.files[0]?.doc.id).toBe(guanaco.id);
    expect(pairRows(seeds.pairs)).toEqual([
      [2, 'lima.jsonl', 1, 'How can I keep basil fresh for longer?'],
      [3, 'guanaco.jsonl', 1, 'What is the capital of France?'],
      [4, 'guanaco.jsonl', 15, 'Name three primary colors.'],
    ]);

    await seeds.removeFile(seeds.files[1]?.doc.id ?? '');
    expect(seeds.files.map((f) => f.doc.path)).toEqual(['guanaco.jsonl']);
    expect(pairRows(seeds.pairs).map((r) => r[0])).toEqual([3, 4]);
    expect(seeds.totals.stored).toBe(2);
    const docs = await ps.store?.listDocs();
    expect(docs?.map((d) => d.path)).toEqual(['guanaco.jsonl']);
    expect(await ps.store?.getMeta(seedReportKey(guanaco.id))).toBeDefined();

    await seeds.importFiles([await fixture('sharegpt.jsonl')]);
    expect(pairRows(seeds.pairs).map((r) => r[0])).toEqual([3, 4, 5, 6]);

    const after = await reopen(ps);
    expect(after.seeds.files.map((f) => [f.doc.path, f.doc.produced])).toEqual([['guanaco.jsonl', 2], ['sharegpt.jsonl', 2]]);
    expect(pairRows(after.seeds.pairs)).toEqual(pairRows(seeds.pairs));
    expect(after.ps.count('seeds')).toBe(4);
  });

  test('a file the browser cannot read is listed as failed with what to do; the filters it was read with are kept', async () => {
    const { seeds } = await freshProject();
    const text = await (await fixture('guanaco.jsonl')).file.text();
    const gz = new Uint8Array(await (await gzip(text)).arrayBuffer());
    await seeds.setFilter('english', false);
    await seeds.importFiles([{ file: new File([gz.slice(0, 40)], 'cut.jsonl.gz'), path: 'cut.jsonl.gz' }, await fixture('guanaco.jsonl')]);
    expect(fileSummary(seeds)).toEqual([
      ['cut.jsonl.gz', 'failed', null, 0, 0],
      ['guanaco.jsonl', 'done', 3, 0, 3],
    ]);
    expect(seeds.files[0]?.doc.message).toBe(
      'Could not read cut.jsonl.gz: it is not a complete gzip file. Check it decompresses on your computer (or drop the uncompressed file), then try again.',
    );
    expect(seeds.totals.failed).toBe(1);
    expect(seeds.files[1]?.filters).toEqual({ singleTurn: true, english: false, topRank: true, dedupe: true });
    expect(seeds.stale).toEqual([]);

    // Switching English back on makes the file stale; re-importing applies it.
    await seeds.setFilter('english', true);
    expect(seeds.stale.map((f) => f.doc.path)).toEqual(['guanaco.jsonl']);
    await seeds.reimportStale();
    expect(fileSummary(seeds)).toEqual([
      ['cut.jsonl.gz', 'failed', null, 0, 0],
      ['guanaco.jsonl', 'done', 2, 0, 2],
    ]);
    expect(seeds.stale).toEqual([]);
  });

  test('downloads the reversed set: the response is what the model reads, the instruction what it writes', async () => {
    const { seeds } = await freshProject();
    await seeds.importFiles([await fixture('guanaco.jsonl')]);
    const got: { name: string; text: string; type: string }[] = [];
    const deliver = (blob: Blob, name: string) => void blob.text().then((text) => got.push({ name, text, type: blob.type }));
    expect(seeds.downloadReversed({ shape: 'messages' }, deliver)).toBe('seed-test-backward-messages.jsonl');
    expect(seeds.downloadReversed({ shape: 'text', template: 'llama3' }, deliver)).toBe('seed-test-backward-text-llama3.jsonl');
    await vi.waitFor(() => expect(got).toHaveLength(2));
    const [messages, llama3] = got;
    expect(messages?.type).toBe('application/jsonl');
    const lines = (messages?.text ?? '').trimEnd().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    expect(lines.map((l) => l.messages)).toEqual([
      [
        { role: 'system', content: 'Write the instruction that the following text answers.' },
        { role: 'user', content: 'The capital of France is Paris.' },
        { role: 'assistant', content: 'What is the capital of France?' },
      ],
      [
        { role: 'system', content: 'Write the instruction that the following text answers.' },
        { role: 'user', content: 'Red, blue and yellow are the traditional primary colors.' },
        { role: 'assistant', content: 'Name three primary colors.' },
      ],
    ]);
    const first = JSON.parse((llama3?.text ?? '').split('\n')[0] ?? '') as { text: string };
    expect(first.text).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nWrite the instruction that the following text answers.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nThe capital of France is Paris.<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>',
    );
  });

  test('cancel stops during a read: the file being read and the ones after it store nothing', async () => {
    const { ps, seeds } = await freshProject();
    await seeds.load();
    const line = (i: number) => JSON.stringify({ instruction: `Explain item ${i} in plain words.`, input: '', output: `Item ${i} is explained here, with enough words to be a real answer.` });
    const big = new File([Array.from({ length: 80_000 }, (_, i) => line(i)).join('\n')], 'big.jsonl');
    expect(big.size).toBeGreaterThan(8_000_000);
    const run = seeds.importFiles([{ file: big, path: 'big.jsonl' }, await fixture('guanaco.jsonl')]);
    while (!seeds.progress || seeds.progress.bytesDone === 0) await new Promise((r) => setTimeout(r, 0));
    expect(seeds.progress.currentPath).toBe('big.jsonl');
    expect(seeds.busy).toBe(true);
    seeds.cancel();
    await run;
    expect(seeds.busy).toBe(false);
    expect(seeds.progress).toBeNull();
    expect(seeds.files).toEqual([]);
    expect(seeds.pairs).toEqual([]);
    expect(await ps.store?.listDocs()).toEqual([]);
    expect(ps.count('seeds')).toBe(0);
    expect(ps.notices.items).toEqual([]);
  });

  test('pages through the pairs twenty at a time, and stays on a page that exists after a delete', async () => {
    const { seeds } = await freshProject();
    const rows = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => JSON.stringify({ instruction: `Question ${tag}${i} about the sea?`, input: '', output: `Answer ${tag}${i}: the sea is wide and deep.` })).join('\n');
    await seeds.importFiles([
      { file: new File([rows(25, 'a')], 'a.jsonl'), path: 'a.jsonl' },
      { file: new File([rows(20, 'b')], 'b.jsonl'), path: 'b.jsonl' },
    ]);
    expect([seeds.pairs.length, seeds.pageCount, seeds.page.length]).toEqual([45, 3, 20]);
    seeds.goToPage(2);
    expect(seeds.page.map((p) => p.instruction)).toEqual(['Question b15 about the sea?', 'Question b16 about the sea?', 'Question b17 about the sea?', 'Question b18 about the sea?', 'Question b19 about the sea?']);
    seeds.goToPage(9);
    expect(seeds.pageIndex).toBe(2);
    await seeds.removeFile(seeds.files[1]?.doc.id ?? '');
    expect([seeds.pairs.length, seeds.pageCount, seeds.pageIndex, seeds.page.length]).toEqual([25, 2, 1, 5]);
    expect(seeds.page[0]?.instruction).toBe('Question a20 about the sea?');
  });
});
