/**
 * The Corpus step in real Chromium, on real IndexedDB, with the real ingest worker: files dropped
 * through the DropZone's input, a JSON file skipped for want of a text field and then read with
 * the field the user picks, settings saved with the project, cancel and "read the waiting
 * files", the clean restart of a file a crashed session left half-read, reading the unfinished
 * files of a dropped folder again after a reload from the handle kept with the project (real
 * handles, from the origin private file system), and removing the corpus.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { IngestClient } from '../../../src/adapters/ingest/ingest-client.ts';
import { newProject } from '../../../src/core/records.ts';
import type { FileRoot } from '../../../src/adapters/file-roots.ts';
import { CorpusState, ROOTS_META, type CorpusConfig } from '../../../src/state/corpus/corpus.svelte.ts';
import { ingestLockName } from '../../../src/state/corpus/ingest-lock.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';
import CorpusStep from '../../../src/ui/steps/CorpusStep.svelte';

const catalog = new IdbCatalog();
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const VOCAB = (
  'package manager resolver dependency upgrade release archive mirror kernel module driver firmware locale keyboard input method ' +
  'display terminal shell script variable path user group permission owner file directory mount disk partition swap boot loader'
).split(' ');

/**
 * A distinct, prose-like note of about 900 characters (seeded): one segment each. Its own smaller
 * vocabulary, not test/support/prose-notes.ts: with that one, dedup removes one of the 8,000
 * notes below, and these tests count every note.
 */
function note(i: number): string {
  let a = (i + 1) * 2654435761;
  const rand = () => ((a = Math.imul(a ^ (a >>> 15), 2246822507) ^ (a + 0x6d2b79f5)) >>> 0) / 4294967296;
  const sentences: string[] = [];
  while (sentences.join(' ').length < 880) {
    const words = Array.from({ length: 8 + Math.floor(rand() * 8) }, () => VOCAB[Math.floor(rand() * VOCAB.length)]);
    sentences.push(`The ${words.join(' ')}.`);
  }
  return `Note ${i}. ${sentences.join(' ')}`;
}
const jsonl = (from: number, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: note(from + i) })).join('\n');

async function makeProject(): Promise<string> {
  const p = newProject('corpus ui test');
  await catalog.putProject(p);
  cleanup.push(() => catalog.deleteProject(p.id));
  return p.id;
}

/** Opens the project as the app does and mounts the Corpus step; returns its container and state. */
async function openStep(id: string): Promise<{ root: HTMLElement; ps: ProjectState; corpus: CorpusState; close: () => void }> {
  const project = await catalog.getProject(id);
  if (!project) throw new Error('project missing');
  const ps = new ProjectState(project, catalog, new Notices());
  await ps.open();
  const root = document.createElement('div');
  document.body.append(root);
  const app = mount(CorpusStep, { target: root, props: { ps } });
  flushSync();
  const corpus = ps.part('corpus', (p) => new CorpusState(p));
  shown.set(root, ps);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    corpus.close();
    void unmount(app);
    root.remove();
    void ps.store?.close();
  };
  cleanup.push(close);
  await vi.waitFor(() => expect(corpus.loaded).toBe(true), { timeout: 30_000, interval: 50 });
  return { root, ps, corpus, close };
}

/** What a user's drop or pick does: the DropZone's file input receives the files. */
function drop(root: HTMLElement, files: File[]): void {
  const input = root.querySelector<HTMLInputElement>('[data-testid="corpus-dropzone-files"]');
  if (!input) throw new Error('no file input');
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

/** Writes a file into a folder of the origin private file system; returns it as a picked `File`. */
async function writeFile(folder: FileSystemDirectoryHandle, name: string, content: string): Promise<File> {
  const handle = await folder.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  await w.write(content);
  await w.close();
  return handle.getFile();
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const row = (root: HTMLElement, path: string) => root.querySelector<HTMLElement>(`[data-testid="corpus-file"][data-path="${path}"]`);
const status = (root: HTMLElement, path: string) => text(row(root, path)?.querySelector('[data-testid="corpus-file-status"]'));
function button(root: ParentNode, name: string): HTMLButtonElement {
  const b = [...root.querySelectorAll('button')].find((x) => text(x) === name);
  if (!b) throw new Error(`no button "${name}"`);
  return b;
}
function set(el: HTMLInputElement | HTMLSelectElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  flushSync();
}
const until = (check: () => void, timeout = 60_000) => vi.waitFor(check, { timeout, interval: 50 });
/** Waits for the overview's total; a failure says what the notices said (a preview that failed shows none). */
const shown = new Map<HTMLElement, ProjectState>();
const totalShown = (root: HTMLElement, total: string) =>
  until(() => expect(text(root.querySelector('[data-testid="corpus-total"]')), JSON.stringify(shown.get(root)?.notices.items)).toBe(total));

describe('Corpus step', () => {
  it('reads dropped files, explains the bad ones, reads a JSON file again with the chosen field, and saves settings', async () => {
    const id = await makeProject();
    const { root, corpus } = await openStep(id);
    const notes = [JSON.stringify({ text: note(1) }), '{"text": broken', JSON.stringify({ text: note(2) })].join('\n');
    const records = JSON.stringify([{ id: 1, body: note(3) }, { id: 2, body: note(4) }]);
    drop(root, [new File([notes], 'notes.jsonl'), new File([records], 'records.json'), new File([], 'empty.md')]);
    expect(corpus.running).toBe(true);

    await until(() => {
      expect(corpus.running).toBe(false);
      expect(status(root, 'notes.jsonl')).toBe('Done: 2 segments');
    });
    expect(text(row(root, 'notes.jsonl')?.querySelector('[data-testid="corpus-file-issue"]'))).toBe('1 malformed line (at line 2)');
    expect(status(root, 'empty.md')).toBe('Skipped: "empty.md" is empty.');
    expect(status(root, 'records.json')).toBe(
      'Skipped: No text field found (looked for "text", "content", "output", "response"; fields are: id, body). Choose the text field for this file and ingest it again.',
    );

    // The skipped file offers its own fields; reading it with "body" keeps everything else.
    const select = row(root, 'records.json')?.querySelector('select');
    if (!select) throw new Error('no field choice');
    expect([...select.options].map((o) => o.value)).toEqual(['id', 'body']);
    set(select, 'body');
    button(row(root, 'records.json') as HTMLElement, 'Read again').click();
    await until(() => expect(status(root, 'records.json')).toBe('Done: 2 segments'));
    await totalShown(root, '4');
    expect(status(root, 'notes.jsonl')).toBe('Done: 2 segments');

    // Counts: the last step keeps 4; the histogram holds 4; the sample page shows 4 with provenance.
    const afters = [...root.querySelectorAll('[data-testid="corpus-step-after"]')].map(text);
    expect(afters).toEqual(['4', '4', '4', '4', '4', '4', '4']);
    const bars = [...root.querySelectorAll<SVGRectElement>('[data-testid="corpus-histogram"] rect')].map((r) => Number(r.dataset.count));
    expect(bars.length).toBe(20);
    expect(bars.reduce((a, b) => a + b, 0)).toBe(4);
    expect(text(root.querySelector('[data-testid="corpus-selected"]'))).toBe('4 of 4 segments selected.');
    const where = [...root.querySelectorAll('[data-testid="corpus-segment"] .where')].map(text);
    expect(where.map((w) => w.replace(/ · [\d,]+ characters$/, ''))).toEqual([
      'notes.jsonl · row 1 · offset 0',
      'notes.jsonl · row 3 · offset 0',
      'records.json · row 1 · offset 0',
      'records.json · row 2 · offset 0',
    ]);

    // Settings (behind their summary): a bad window is refused in words; a good one is saved with the project.
    root.querySelector<HTMLElement>('details summary')?.click();
    flushSync();
    const min = root.querySelector<HTMLInputElement>('[data-testid="corpus-min-chars"]');
    const max = root.querySelector<HTMLInputElement>('[data-testid="corpus-max-chars"]');
    if (!min || !max) throw new Error('no length fields');
    set(max, '500');
    expect(text(root.querySelector('[data-testid="corpus-settings"] [role="alert"]'))).toBe('The longest segment must be a whole number at least as large as the shortest.');
    expect(button(root, 'Save settings').disabled).toBe(true);
    set(max, '2500');
    set(min, '700');
    button(root, 'Save settings').click();
    await until(async () => {
      const saved = (await catalog.getProject(id))?.settings.corpus as CorpusConfig | undefined;
      expect(saved?.settings.window).toEqual({ minChars: 700, maxChars: 2500 });
      expect(saved?.settings.nearDup.threshold).toBe(0.8);
    });
    expect(text(root.querySelector('details summary'))).toBe('Settings: length 700–2,500 characters, filters, duplicates, text field');
    // The histogram spans the new window.
    await until(() => expect([...root.querySelectorAll('[data-testid="corpus-histogram"] figcaption span')].map(text)).toEqual(['700', 'length in characters', '2,500']));
  });

  it('cancels a read: the file in progress goes back to the queue, and "read the waiting files" finishes it', async () => {
    const id = await makeProject();
    const { root, corpus } = await openStep(id);
    drop(root, [new File([jsonl(0, 20)], 'first.jsonl'), new File([jsonl(100, 8000)], 'big.jsonl')]);
    await until(() => expect(corpus.docs.find((d) => d.path === 'big.jsonl')?.produced ?? 0).toBeGreaterThanOrEqual(1000));
    expect(root.querySelector('[data-testid="corpus-progress"]')).not.toBeNull();
    button(root, 'Cancel').click();
    await until(() => expect(corpus.running).toBe(false));
    expect(status(root, 'first.jsonl')).toBe('Done: 20 segments');
    expect(status(root, 'big.jsonl')).toBe('Cancelled: not read yet.');
    expect(row(root, 'big.jsonl')?.dataset.status).toBe('queued');
    await totalShown(root, '20');

    button(root, 'Read the 1 waiting file').click();
    await until(() => expect(status(root, 'big.jsonl')).toBe('Done: 8,000 segments'));
    await totalShown(root, '8,020');

    // Paging through the sample: ten at a time, in the order they were stored.
    const page = () => text(root.querySelector('[data-testid="corpus-page"]'));
    const firstText = () => text(root.querySelector('[data-testid="corpus-segment"] .text'));
    expect(page()).toBe('1–10 of 8,020');
    expect(firstText().startsWith('Note 0. ')).toBe(true);
    expect(button(root, 'Previous').disabled).toBe(true);
    button(root, 'Next').click();
    await until(() => expect(page()).toBe('11–20 of 8,020'));
    expect(firstText().startsWith('Note 10. ')).toBe(true);
    expect(button(root, 'Previous').disabled).toBe(false);
  });

  it('restarts a file a crashed session left half-read, keeps finished files, and can remove the corpus', async () => {
    const id = await makeProject();
    const kept = new File([jsonl(0, 30)], 'kept.jsonl');
    const many = new File([jsonl(1000, 3000)], 'many.jsonl');
    const client = new IngestClient();
    const first = await client.ingest(id, [{ file: kept }, { file: many }]);
    client.terminate();
    expect(first.segments).toBe(3030);

    // The crash: "many" stopped after its first batch of 1,000.
    const store = await catalog.openProject(id);
    const doc = (await store.listDocs()).find((d) => d.path === 'many.jsonl');
    if (!doc || doc.firstSeq === undefined) throw new Error('doc missing');
    await store.deleteRange('segments', doc.firstSeq + 1000, doc.firstSeq + 3000, { docs: [{ ...doc, status: 'reading', produced: 1000 }] });
    expect((await store.info('segments')).count).toBe(1030);
    // The page's store and this one are the catalog's one connection, which closing a step closes: reopen to count.
    const stored = async () => (await (await catalog.openProject(id)).info('segments')).count;

    // While another tab holds the ingest lock, that file is being read: nothing is rolled back.
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((granted) => void navigator.locks.request(ingestLockName(id), () => (granted(), held)));
    const busy = await openStep(id);
    expect(text(busy.root.querySelector('[data-testid="corpus-elsewhere"]'))).toContain('Another tab is reading files into this project.');
    expect(status(busy.root, 'many.jsonl')).toBe('Reading… 1,000 segments so far');
    expect(busy.root.querySelector('[data-testid="corpus-restarted"]')).toBeNull();
    expect(await stored()).toBe(1030);
    busy.close();
    release();

    const { root, close } = await openStep(id);
    expect(root.querySelector('[data-testid="corpus-elsewhere"]')).toBeNull();
    expect(text(root.querySelector('[data-testid="corpus-restarted"]'))).toContain('Reading stopped in the middle of many.jsonl last time.');
    expect(status(root, 'many.jsonl')).toBe('Waiting: drop the file again to read it.');
    expect(status(root, 'kept.jsonl')).toBe('Done: 30 segments');
    expect(await stored()).toBe(30);
    await totalShown(root, '30');

    drop(root, [many]);
    await until(() => expect(status(root, 'many.jsonl')).toBe('Done: 3,000 segments'));
    await totalShown(root, '3,030');
    expect(await stored()).toBe(3030);
    close();

    // A fresh open (a reload) shows the same, with no restart notice.
    const again = await openStep(id);
    expect(again.root.querySelector('[data-testid="corpus-restarted"]')).toBeNull();
    await totalShown(again.root, '3,030');

    button(again.root, 'Remove the corpus…').click();
    flushSync();
    expect(text(again.root.querySelector('details .row span'))).toBe('Remove all 3,030 segments and the file list?');
    button(again.root, 'Remove').click();
    await until(() => expect(again.root.querySelector('[data-testid="corpus-files"]')).toBeNull());
    const after = await catalog.openProject(id);
    expect((await after.info('segments')).count).toBe(0);
    expect(await after.listDocs()).toEqual([]);
    await after.close();
  });

  it('reads the unfinished files of a dropped folder again after a reload, from the handle kept with the project', async () => {
    const id = await makeProject();
    // A real folder handle, as Chromium gives one for a dropped folder (getAsFileSystemHandle).
    const disk = await navigator.storage.getDirectory();
    const folder = await disk.getDirectoryHandle(`drop-${id}`, { create: true });
    cleanup.push(() => disk.removeEntry(folder.name, { recursive: true }));
    const sub = await folder.getDirectoryHandle('sub', { create: true });
    const root: FileRoot = { path: folder.name, handle: folder };
    const at = (name: string) => `${folder.name}/${name}`;
    const picked = [
      { path: at('a.jsonl'), file: await writeFile(folder, 'a.jsonl', jsonl(0, 30)), root },
      { path: at('sub/b-many.jsonl'), file: await writeFile(sub, 'b-many.jsonl', jsonl(1000, 3000)), root },
      { path: at('sub/c-later.jsonl'), file: await writeFile(sub, 'c-later.jsonl', jsonl(5000, 10)), root },
      { path: at('d-gone.jsonl'), file: await writeFile(folder, 'd-gone.jsonl', jsonl(6000, 10)), root },
    ];
    const stored = async () => (await (await catalog.openProject(id)).info('segments')).count;

    // The first visit reads the drop; then the store is set back to what a tab closed in the
    // middle of "b-many" leaves: its first 1,000 segments stored, the two files after it not read.
    const first = await openStep(id);
    first.corpus.add(picked);
    await until(() => {
      expect(first.corpus.running).toBe(false);
      expect(first.corpus.docs.map((d) => d.status)).toEqual(['done', 'done', 'done', 'done']);
    });
    first.close();
    const store = await catalog.openProject(id);
    for (const d of await store.listDocs()) {
      if (d.firstSeq === undefined) throw new Error('doc without segments');
      if (d.path === at('sub/b-many.jsonl')) await store.deleteRange('segments', d.firstSeq + 1000, d.firstSeq + 3000, { docs: [{ ...d, status: 'reading', produced: 1000 }] });
      if (d.produced === 10) await store.deleteRange('segments', d.firstSeq, d.firstSeq + 10, { docs: [{ ...d, status: 'queued', produced: 0, firstSeq: undefined }] });
    }
    expect(await stored()).toBe(1030);
    // Meanwhile one file not read yet is deleted from disk.
    await folder.removeEntry('d-gone.jsonl');

    // The reload: the half-read file was rolled back, and every unfinished file can be found again.
    const { root: page, corpus, close } = await openStep(id);
    const kept = await (await catalog.openProject(id)).getMeta<FileRoot[]>(ROOTS_META);
    expect(kept?.map((r) => [r.path, r.handle.kind])).toEqual([[folder.name, 'directory']]);
    expect(corpus.restarted).toContain(at('sub/b-many.jsonl'));
    expect(text(page.querySelector('[data-testid="corpus-restarted"]'))).toContain('"Read the waiting files" reads');
    for (const name of ['sub/b-many.jsonl', 'sub/c-later.jsonl', 'd-gone.jsonl']) expect(status(page, at(name))).toBe('Waiting: not read yet.');
    expect(status(page, at('a.jsonl'))).toBe('Done: 30 segments');
    button(page, 'Read the 3 waiting files').click();

    await until(() => {
      expect(corpus.running).toBe(false);
      expect(status(page, at('sub/b-many.jsonl'))).toBe('Done: 3,000 segments');
      expect(status(page, at('sub/c-later.jsonl'))).toBe('Done: 10 segments');
    });
    expect(status(page, at('a.jsonl'))).toBe('Done: 30 segments');
    expect(status(page, at('d-gone.jsonl'))).toBe(`Waiting: it is no longer in "${folder.name}" on disk; drop it again to read it.`);
    expect(corpus.ps.notices.items.map((n) => n.title)).toContain('1 file could not be read again');
    // Nothing counted twice; the lost file offers no button that cannot work.
    await totalShown(page, '3,040');
    expect(await stored()).toBe(3040);
    expect([...page.querySelectorAll('button')].some((b) => text(b).startsWith('Read the'))).toBe(false);
    // The restart notice went with the file it was about.
    expect(page.querySelector('[data-testid="corpus-restarted"]')).toBeNull();

    // Removing the corpus forgets the handles too.
    button(page, 'Remove the corpus…').click();
    flushSync();
    button(page, 'Remove').click();
    await until(() => expect(page.querySelector('[data-testid="corpus-files"]')).toBeNull());
    close();
    expect(await (await catalog.openProject(id)).getMeta<FileRoot[]>(ROOTS_META)).toEqual([]);
  });

  it('opens normally when the stored handles are unreadable, and asks for such files to be dropped again', async () => {
    const id = await makeProject();
    const client = new IngestClient();
    await client.ingest(id, [{ file: new File([jsonl(0, 5)], 'five.jsonl') }]);
    client.terminate();
    // A crash left the file half-read, and the handles record is not what this version writes.
    const store = await catalog.openProject(id);
    const doc = (await store.listDocs())[0];
    if (!doc) throw new Error('doc missing');
    await store.putDocs([{ ...doc, status: 'reading' }]);
    await store.putMeta(ROOTS_META, [null, 'five.jsonl', { path: 5 }, { path: 'five.jsonl' }]);

    const { root, corpus } = await openStep(id);
    expect(corpus.ps.notices.items).toEqual([]);
    expect(corpus.access('five.jsonl')).toBe('gone');
    expect(text(root.querySelector('[data-testid="corpus-restarted"]'))).toContain('Drop that file again to read it from the start.');
    expect(status(root, 'five.jsonl')).toBe('Waiting: drop the file again to read it.');
    expect([...root.querySelectorAll('button')].some((b) => text(b).startsWith('Read the'))).toBe(false);
  });
});
