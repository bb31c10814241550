/**
 * Export from a real IndexedDB project in real Chromium, and read the file back. The picked-file
 * path writes through a real FileSystemFileHandle (from the origin private file system, since a
 * test cannot click the native picker); the download path clicks a real link to a real Blob URL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exportToTarget, JSONL_TYPE, saveDatasetCard } from '../../../src/adapters/export/export-file.ts';
import { clickDownload, downloadTarget, openSaveTarget, type ShowSaveFilePicker } from '../../../src/adapters/export/save-target.ts';
import { IdbProjectStore, PROJECT_DB_PREFIX } from '../../../src/adapters/idb-store.ts';
import { curatedSetOf, type CuratedSet } from '../../../src/core/curation/curated-set.ts';
import type { ExportChoice, ExportProgress } from '../../../src/core/export/stream.ts';
import { newId, newRun, SCHEMA_VERSION, type Candidate, type Rating, type SeedPair, type Segment } from '../../../src/core/records.ts';

const NASTY = ['plain', 'line\u2028sep\u2029para', 'whale 🐋 family 👩‍👩‍👧‍👦', 'עברית and العربية', 'nul\u0000 "q" \\ tab\t', 'lone \ud800 high'];
/** Generation run r_aug rated by r_cur: the curated set A4, seeds left out unless asked. */
const RUNS = [{ ...newRun('augment', 1, {}, 1), id: 'r_aug' }, { ...newRun('curate', 1, { augmentRunId: 'r_aug', config: { round: 0 } }, 2), id: 'r_cur', round: 0 }];
const setWith = (includeSeeds = false): CuratedSet => curatedSetOf(RUNS, { rule: { by: 'score', threshold: 4 }, includeSeeds });
const SET = setWith();
const choice = (o: Partial<ExportChoice> = {}): ExportChoice => ({ format: 'messages', sourceTags: false, statuses: ['kept'], ...o });

const opened: string[] = [];
afterEach(async () => {
  for (const id of opened.splice(0)) {
    await new Promise((r) => {
      const req = indexedDB.deleteDatabase(PROJECT_DB_PREFIX + id);
      req.onsuccess = req.onerror = req.onblocked = r;
    });
  }
});

/** `n` segments; even seqs score 5 (kept), odd ones 2. Texts cycle through the nasty strings. */
async function project(n: number): Promise<IdbProjectStore> {
  const id = newId('test_');
  opened.push(id);
  const store = new IdbProjectStore(id);
  const text = (i: number) => `${NASTY[i % NASTY.length]} #${i}`;
  const segments: Segment[] = [];
  const candidates: Candidate[] = [];
  const ratings: Rating[] = [];
  for (let i = 0; i < n; i++) {
    segments.push({ schemaVersion: SCHEMA_VERSION, seq: i, id: `s${i}`, text: text(i), chars: text(i).length, hash: `h${i}`, provenance: { docId: 'd', path: 'a.md', headers: [], offset: i } });
    candidates.push({
      schemaVersion: SCHEMA_VERSION, seq: i, segmentId: `s${i}`, runId: 'r_aug', instruction: `Q ${text(i + 1)}?`, raw: '', status: 'ok',
      provenance: { model: { engine: 'scripted', model: 'b' }, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 }, mode: 'fewshot' },
      createdAt: 0,
    });
    ratings.push({
      schemaVersion: SCHEMA_VERSION, seq: i, segmentId: `s${i}`, runId: 'r_cur', round: 0, score: i % 2 === 0 ? 5 : 2, reason: '', raw: '', parse: 'parsed',
      curator: { model: { engine: 'scripted', model: 'f' }, promptVersion: 1, stageVersion: 1, mode: 'text' }, createdAt: 0,
    });
  }
  const seeds: SeedPair[] = [{ schemaVersion: SCHEMA_VERSION, seq: 0, id: 'seed0', instruction: 'Seed?', response: 'Seed 🐋', source: { docId: 'x', path: 'seed.jsonl', format: 'jsonl', row: 1 } }];
  await store.put('segments', segments);
  await store.put('candidates:r_aug', candidates);
  await store.put('ratings:r_cur', ratings);
  await store.put('seeds', seeds);
  return store;
}

/** What the file must hold: kept (even) rows, lone surrogates replaced. */
function expectedMessages(n: number): unknown[] {
  const text = (i: number) => `${NASTY[i % NASTY.length]} #${i}`.replace('\ud800', '\ufffd');
  const out: unknown[] = [];
  for (let i = 0; i < n; i += 2) out.push({ messages: [{ role: 'user', content: `Q ${text(i + 1)}?` }, { role: 'assistant', content: text(i) }] });
  return out;
}

const parseLines = (text: string): unknown[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);

/** A "picker" that hands out a real file handle in the origin private file system. */
async function opfsPicker(): Promise<{ picker: ShowSaveFilePicker; read: (name: string) => Promise<string> }> {
  const dir = await navigator.storage.getDirectory();
  return {
    picker: async (o) => dir.getFileHandle(o.suggestedName ?? 'x', { create: true }),
    read: async (name) => (await (await dir.getFileHandle(name)).getFile()).text(),
  };
}

/** Captures the next download link click instead of letting the browser save it; resolves with its Blob text. */
function catchDownload(): Promise<{ name: string; text: string; type: string }> {
  return new Promise((resolve) => {
    const onClick = (e: MouseEvent) => {
      const a = e.target as HTMLAnchorElement;
      if (!(a instanceof HTMLAnchorElement) || !a.download) return;
      e.preventDefault();
      document.removeEventListener('click', onClick, true);
      void fetch(a.href).then(async (r) => resolve({ name: a.download, text: await r.text(), type: r.headers.get('content-type') ?? '' }));
    };
    document.addEventListener('click', onClick, true);
  });
}

describe('export from IndexedDB', () => {
  it('writes a picked file that reads back exactly, with progress and the surrogate count', async () => {
    const n = 2500;
    const store = await project(n);
    const { picker, read } = await opfsPicker();
    const name = `${newId('e_')}.jsonl`;
    const target = await openSaveTarget(name, JSONL_TYPE, picker);
    expect(target.kind).toBe('file');
    const progress: ExportProgress[] = [];
    const report = await exportToTarget(store, SET, choice(), target, { onProgress: (p) => progress.push(p) });
    const text = await read(name);
    expect(parseLines(text)).toEqual(expectedMessages(n));
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(report.lines).toBe(1250);
    expect(report.bytes).toBe(new TextEncoder().encode(text).byteLength);
    // Text 5 holds the lone surrogate. Kept rows are even: their segment (text i) never is text 5;
    // their instruction (text i+1) is when i % 6 === 4 — i = 4, 10, …, 2494: 416 rows.
    expect(report.replaced).toBe(416);
    expect(progress.map((p) => p.done)).toEqual([1000, 2000, 2500, 2500]);
    expect(progress.at(-1)?.total).toBe(2500);
  });

  it('falls back to a download built from Blob parts when there is no picker', async () => {
    const store = await project(30);
    const caught = catchDownload();
    const target = await openSaveTarget('whales-alpaca.jsonl', JSONL_TYPE, null);
    expect(target.kind).toBe('download');
    await exportToTarget(store, setWith(true), choice({ format: 'alpaca', sourceTags: true }), target);
    const got = await caught;
    expect(got.name).toBe('whales-alpaca.jsonl');
    expect(got.type).toBe(JSONL_TYPE);
    const lines = parseLines(got.text);
    expect(lines[0]).toEqual({ instruction: 'Seed?', input: '', output: 'Seed 🐋', system: 'Answer in the style of an AI Assistant.' });
    expect(lines.slice(1)).toEqual(
      expectedMessages(30).map((m) => {
        const [u, a] = (m as { messages: { content: string }[] }).messages;
        return { instruction: u?.content, input: '', output: a?.content, system: 'Answer with knowledge from web search.' };
      }),
    );
  });

  it('keeps the bytes identical across small Blob parts', async () => {
    const store = await project(200);
    let blob: Blob | undefined;
    const target = downloadTarget('x.jsonl', JSONL_TYPE, (b) => (blob = b), 64);
    const report = await exportToTarget(store, SET, choice({ format: 'reversed' }), target);
    expect(blob?.size).toBe(report.bytes);
    expect(parseLines(await (blob as Blob).text())).toEqual(
      expectedMessages(200).map((m) => {
        const [u, a] = (m as { messages: { content: string }[] }).messages;
        return { input: a?.content, target: u?.content };
      }),
    );
  });

  it('aborts the file stream when cancelled, leaving the picked file empty', async () => {
    const store = await project(3000);
    const { picker, read } = await opfsPicker();
    const name = `${newId('e_')}.jsonl`;
    const target = await openSaveTarget(name, JSONL_TYPE, picker);
    const ctl = new AbortController();
    await expect(
      exportToTarget(store, SET, choice(), target, { signal: ctl.signal, onProgress: (p) => p.done >= 1000 && ctl.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(await read(name)).toBe('');
  });

  it('falls back to a download when the real picker refuses for want of a user gesture', async () => {
    // Chromium has showSaveFilePicker; called outside a click it throws a SecurityError.
    expect(typeof (window as { showSaveFilePicker?: unknown }).showSaveFilePicker).toBe('function');
    let blob: Blob | undefined;
    const target = await openSaveTarget('late.jsonl', JSONL_TYPE, undefined, (b) => (blob = b));
    expect(target.kind).toBe('download');
    await exportToTarget(await project(4), SET, choice({ format: 'reversed' }), target);
    expect(await (blob as Blob).text()).toBe('{"input":"plain #0","target":"Q line\\u2028sep\\u2029para #1?"}\n{"input":"whale 🐋 family 👩‍👩‍👧‍👦 #2","target":"Q עברית and العربية #3?"}\n');
  });

  it('turns a cancelled picker into an AbortError', async () => {
    const picker: ShowSaveFilePicker = () => Promise.reject(new DOMException('The user aborted a request.', 'AbortError'));
    await expect(openSaveTarget('x.jsonl', JSONL_TYPE, picker)).rejects.toMatchObject({ name: 'AbortError', message: 'Export cancelled: no file was chosen.' });
  });

  it('saves the dataset card as README.md', async () => {
    const store = await project(10);
    let blob: Blob | undefined;
    const report = await exportToTarget(store, SET, choice(), downloadTarget('d.jsonl', JSONL_TYPE, () => undefined));
    await saveDatasetCard(
      { projectName: 'Browser card', fileName: 'd.jsonl', report, options: report.options, settings: { apiKey: 'secret-value' }, prompts: [], exportedAt: 0 },
      async (name, type) => downloadTarget(name, type, (b) => (blob = b)),
    );
    const card = await (blob as Blob).text();
    expect(card.startsWith('---\npretty_name: "Browser card"\n')).toBe(true);
    expect(card).toContain('\n| rows | 5 (0 seed, 5 generated) |\n');
    expect(card).toContain('"apiKey": "[removed]"');
    expect(card).not.toContain('secret-value');
  });

  it('clickDownload hands the browser a link with the file name', async () => {
    const caught = catchDownload();
    clickDownload(new Blob(['a\n'], { type: 'text/plain' }), 'a.txt');
    expect(await caught).toEqual({ name: 'a.txt', text: 'a\n', type: 'text/plain' });
    expect(document.querySelectorAll('a[download]').length).toBe(0);
  });
});
