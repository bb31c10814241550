/**
 * The corpus step for one open project: the files the user dropped (each with its status and
 * its before → after counts), the ingest running in the worker (progress, cancel), and the
 * preview read back from the store (counts, length histogram, a page of sample segments).
 *
 * The store is the truth: the file list is `listDocs()` plus the worker's live events, so a
 * reload shows exactly what was kept. A file a previous session left half-read is rolled back by
 * the worker's clean restart as soon as the step opens. The browser forgets dropped files on
 * reload, but where it gives handles for them (Chromium) the step keeps the handle of each
 * dropped file or folder with the project (`corpus-roots` meta), so one click ("Read the waiting
 * files", which lets the browser ask for permission) reads the unfinished files again from disk.
 * Elsewhere, or for a file that moved, the list asks for it to be dropped again.
 *
 * Project setting this class owns: `corpus`: `CorpusConfig` — `{ settings: CorpusSettings,
 * sample: SampleSpec }`. Later stages read the sample choice from it
 * (`ps.setting('corpus', DEFAULT_CORPUS_CONFIG).sample`, selected with `sampleSegments`).
 */
import { SvelteMap } from 'svelte/reactivity';
import type { PickedFile } from '../../adapters/file-drop.ts';
import { findAgain, rootOf, type FileRoot, type LostFile } from '../../adapters/file-roots.ts';
import { IngestClient } from '../../adapters/ingest/ingest-client.ts';
import type { IngestEvent, IngestProgress } from '../../adapters/ingest/ingest-service.ts';
import { countsKey, type CorpusPreview } from '../../adapters/ingest/preview.ts';
import type { StepCount } from '../../core/corpus/filters.ts';
import { formatCount } from '../../core/progress.ts';
import { DEFAULT_CORPUS_SETTINGS, type CorpusSettings } from '../../core/corpus/settings.ts';
import type { SampleSpec } from '../../core/corpus/sample.ts';
import type { DocumentRecord } from '../../core/records.ts';
import type { FileAccess } from './corpus-words.ts';
import { withIngestLock } from './ingest-lock.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export interface CorpusConfig {
  settings: CorpusSettings;
  sample: SampleSpec;
}

export const DEFAULT_CORPUS_CONFIG: CorpusConfig = { settings: DEFAULT_CORPUS_SETTINGS, sample: { mode: 'all' } };

/** What the state needs of the ingest worker (the `IngestClient`, or the service in-thread for tests). */
export type IngestPort = Pick<IngestClient, 'ingest' | 'cancel' | 'preview' | 'terminate'>;

/** A file picked this session that the worker has not reported on yet. */
export interface WaitingFile {
  path: string;
  bytes: number;
}

export const PAGE_SIZE = 10;

/** Project meta key of the dropped files' and folders' handles (`FileRoot[]`). */
export const ROOTS_META = 'corpus-roots';

export class CorpusState {
  docs = $state<DocumentRecord[]>([]);
  /** Before → after per step, per document id. */
  fileCounts = $state<Record<string, StepCount[]>>({});
  waiting = $state<WaitingFile[]>([]);
  running = $state(false);
  cancelling = $state(false);
  progress = $state<IngestProgress | null>(null);
  preview = $state<CorpusPreview | null>(null);
  previewing = $state(false);
  /** The page asked for, and the page the preview holds (they differ while it loads). */
  pageOffset = $state(0);
  shownOffset = $state(0);
  loaded = $state(false);
  /** Another tab was reading files into this project when the step opened (so nothing was rolled back). */
  readingElsewhere = $state(false);
  /** Files the clean restart rolled back when the step opened. */
  restarted = $state<string[]>([]);
  config = $state<CorpusConfig>(DEFAULT_CORPUS_CONFIG);
  /** Files asked for again that could not be read, by path, with the reason in words. */
  lost = $state<Record<string, LostFile>>({});
  /** Looking files up again (and waiting for the user to allow it). */
  finding = $state(false);
  readonly ps: ProjectState;
  readonly #makeClient: () => IngestPort;
  #client: IngestPort | null = null;
  /** Files picked this session by path, so a skipped or cancelled one can be read again without a new drop. */
  readonly #files = new SvelteMap<string, File>();
  /** Handles of the dropped files and folders, by path: stored with the project, so files can be found again after a reload. */
  readonly #roots = new SvelteMap<string, FileRoot>();
  #queue: PickedFile[] = [];
  #previewAsked = 0;
  /** Position of each document in `docs`, so a live event for one of 10,000 files is not a search. */
  #index = new Map<string, number>();

  constructor(ps: ProjectState, makeClient: () => IngestPort = () => new IngestClient()) {
    this.ps = ps;
    this.#makeClient = makeClient;
    const saved = ps.setting<Partial<CorpusConfig>>('corpus', {});
    this.config = { settings: { ...DEFAULT_CORPUS_SETTINGS, ...saved.settings }, sample: saved.sample ?? DEFAULT_CORPUS_CONFIG.sample };
  }

  get #worker(): IngestPort {
    this.#client ??= this.#makeClient();
    return this.#client;
  }

  /** Kept segments over the whole corpus (the last step's "after"). */
  get total(): number {
    return this.preview?.total ?? this.docs.reduce((n, d) => n + d.produced, 0);
  }

  /** Summed before → after over all files. */
  get counts(): StepCount[] {
    return this.preview?.counts ?? [];
  }

  /** Files the clean restart rolled back that are still not read (the notice about them goes once they are). */
  get restartedWaiting(): string[] {
    const queued = new Set(this.docs.filter((d) => d.status === 'queued').map((d) => d.path));
    return this.restarted.filter((p) => queued.has(p));
  }

  /** Whether this page can read the file now, can find it again, or needs it dropped again. */
  access(path: string): FileAccess {
    if (this.#files.has(path)) return 'held';
    return rootOf(this.#roots, path) ? 'findable' : 'gone';
  }

  /** Files the list shows as waiting that this page can read now or find again. */
  get readable(): DocumentRecord[] {
    return this.docs.filter((d) => d.status === 'queued' && this.access(d.path) !== 'gone' && this.lost[d.path]?.askAgain !== false);
  }

  /** Reads what is stored; rolls back files a previous session left half-read. Safe to call again. */
  async load(): Promise<void> {
    if (this.loaded) return;
    const store = this.ps.store;
    if (!store) return;
    try {
      const roots = await store.getMeta<FileRoot[]>(ROOTS_META);
      if (Array.isArray(roots)) for (const r of roots) if (typeof r?.path === 'string' && r.handle) this.#roots.set(r.path, r);
      let docs = await store.listDocs();
      if (docs.some((d) => d.status === 'reading') && !this.running) {
        // The worker's clean restart: delete the half-written segments and queue the file again —
        // unless another tab holds the ingest lock, because then that file is being read right now.
        const summary = await withIngestLock(this.ps.id, true, () => this.#worker.ingest(this.ps.id, [], this.#settings()));
        this.readingElsewhere = summary === null;
        if (summary) {
          this.restarted = summary.restarted;
          docs = summary.docs;
        }
      }
      this.#setDocs(docs);
      const counts = await Promise.all(docs.map((d) => store.getMeta<StepCount[]>(countsKey(d.id))));
      const next: Record<string, StepCount[]> = {};
      docs.forEach((d, i) => {
        const c = counts[i];
        if (Array.isArray(c)) next[d.id] = c;
      });
      this.fileCounts = next;
      this.loaded = true;
      await this.refreshPreview();
    } catch (err) {
      this.ps.notices.error(err, 'Reading the corpus');
    }
  }

  /** Queues dropped or picked files; starts reading unless a read is already running. */
  add(files: readonly PickedFile[]): void {
    let newRoots = false;
    for (const f of files) {
      this.#files.set(f.path, f.file);
      if (f.path in this.lost) delete this.lost[f.path];
      if (f.root && this.#roots.get(f.root.path) !== f.root) {
        this.#roots.set(f.root.path, f.root);
        newRoots = true;
      }
      if (!this.waiting.some((w) => w.path === f.path)) this.waiting.push({ path: f.path, bytes: f.file.size });
      this.#queue = [...this.#queue.filter((q) => q.path !== f.path), f];
    }
    if (newRoots) void this.#saveRoots();
    if (!this.running) void this.#drain();
  }

  /**
   * Reads the queued files: those this session holds (picked, then cancelled) and those a
   * handle from an earlier visit finds again — the browser may ask the user to allow that, so
   * this runs from a click. Files that cannot be found get their reason in the list.
   */
  async readWaiting(): Promise<void> {
    const waiting = this.readable;
    const held = waiting.filter((d) => this.#files.has(d.path)).map((d) => ({ path: d.path, file: this.#files.get(d.path) as File }));
    const found = await this.#findAgain(waiting.filter((d) => !this.#files.has(d.path)).map((d) => d.path));
    this.add([...held, ...found]);
  }

  /** Reads one skipped file again with the text field the user chose. */
  async retryWithField(doc: DocumentRecord, field: string): Promise<void> {
    if (this.running) return;
    const file = this.#files.get(doc.path) ?? (await this.#findAgain([doc.path]))[0]?.file;
    if (!file) return;
    await this.#run([{ path: doc.path, file }], { ...this.#settings(), textField: field.trim() || undefined });
  }

  /** Looks files up under the stored roots; the ones it cannot read go to `lost`, with why. */
  async #findAgain(paths: readonly string[]): Promise<PickedFile[]> {
    if (paths.length === 0) return [];
    this.finding = true;
    try {
      const { found, lost } = await findAgain(this.#roots, paths);
      for (const l of lost) this.lost[l.path] = l;
      for (const f of found) this.#files.set(f.path, f.file);
      if (lost.length > 0) {
        const n = lost.length;
        this.ps.notices.info(`${formatCount(n)} ${n === 1 ? 'file' : 'files'} could not be read again`, `The file list says why for each. ${lost.slice(0, 3).map((l) => `"${l.path}": ${l.reason}.`).join(' ')}${n > 3 ? ' …' : ''}`);
      }
      return found;
    } finally {
      this.finding = false;
    }
  }

  /** Stores the roots with the project; without them a reload asks for the files to be dropped again. */
  async #saveRoots(): Promise<void> {
    try {
      await this.ps.store?.putMeta(ROOTS_META, [...this.#roots.values()]);
    } catch (err) {
      this.ps.notices.error(err, 'Remembering where the dropped files are (after a reload they must be dropped again)');
    }
  }

  async cancel(): Promise<void> {
    if (!this.running) return;
    this.cancelling = true;
    const dropped = new Set(this.#queue.map((q) => q.path));
    this.#queue = [];
    this.waiting = this.waiting.filter((w) => !dropped.has(w.path));
    try {
      await this.#worker.cancel();
    } catch (err) {
      this.ps.notices.error(err, 'Cancelling the read');
    }
  }

  async saveSettings(settings: CorpusSettings): Promise<void> {
    this.config = { ...this.config, settings };
    await this.ps.saveSetting('corpus', this.config);
    await this.refreshPreview(); // the histogram spans the length window
  }

  /** Saves the sample choice and shows its first page. */
  async saveSample(sample: SampleSpec): Promise<void> {
    this.config = { ...this.config, sample };
    this.pageOffset = 0;
    await this.ps.saveSetting('corpus', this.config);
    await this.refreshPreview();
  }

  async showPage(offset: number): Promise<void> {
    const selected = this.preview?.selected ?? 0;
    this.pageOffset = Math.max(0, Math.min(offset, Math.max(0, selected - 1)));
    await this.refreshPreview();
  }

  async refreshPreview(): Promise<void> {
    const asked = ++this.#previewAsked;
    this.previewing = true;
    try {
      const offset = this.pageOffset;
      const preview = await this.#worker.preview(this.ps.id, $state.snapshot(this.config.sample), { offset, limit: PAGE_SIZE }, this.#settings());
      if (asked === this.#previewAsked) {
        this.preview = preview;
        this.shownOffset = offset;
      }
    } catch (err) {
      this.ps.notices.error(err, 'Showing the corpus preview');
    } finally {
      if (asked === this.#previewAsked) this.previewing = false;
    }
  }

  /**
   * Removes every segment and file record, so the corpus can be read again with new settings.
   * One transaction first empties the segments and queues every file (so a crash in between
   * leaves queued files, never segments without their file), then the records go.
   */
  async clear(): Promise<void> {
    const store = this.ps.store;
    if (!store || this.running) return;
    try {
      const docs = await store.listDocs();
      const info = await store.info('segments');
      const queued = docs.map((d): DocumentRecord => ({ ...d, status: 'queued', produced: 0, firstSeq: undefined, message: undefined, issues: {} }));
      const meta = Object.fromEntries(docs.map((d) => [countsKey(d.id), []]));
      await store.deleteRange('segments', 0, info.maxSeq + 1, { docs: queued, meta });
      for (const d of docs) await store.deleteDoc(d.id);
      this.#setDocs([]);
      this.#roots.clear();
      this.lost = {};
      await store.putMeta(ROOTS_META, []);
      this.fileCounts = {};
      this.restarted = [];
      this.pageOffset = 0;
      await this.ps.refresh();
      await this.refreshPreview();
    } catch (err) {
      this.ps.notices.error(err, 'Removing the corpus');
    }
  }

  /** Stops the worker (a running read stops with it; the next open rolls its file back). */
  close(): void {
    this.#client?.terminate();
    this.#client = null;
  }

  /** Plain settings (no rune proxies), which is what crosses to the worker. */
  #settings(): CorpusSettings {
    return $state.snapshot(this.config.settings) as CorpusSettings;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      await this.#run(batch, this.#settings());
    }
  }

  async #run(files: readonly PickedFile[], settings: CorpusSettings): Promise<void> {
    this.running = true;
    this.cancelling = false;
    this.progress = null;
    try {
      const inputs = files.map((f) => ({ file: f.file, path: f.path }));
      // Waits while another tab reads into this project, so two readers never share one file list.
      const summary = await withIngestLock(this.ps.id, false, () => this.#worker.ingest(this.ps.id, inputs, settings, (e) => this.#onEvent(e)));
      if (!summary) throw new Error('The ingest lock was not granted.');
      this.readingElsewhere = false;
      this.#setDocs(summary.docs);
      if (summary.restarted.length > 0) this.restarted = summary.restarted;
      if (summary.cancelled) this.ps.notices.info('Reading cancelled', 'The file being read was rolled back; files already read are kept. Files not read yet stay in the list as queued.');
    } catch (err) {
      this.ps.notices.error(err, 'Reading the corpus');
      const store = this.ps.store;
      if (store) this.#setDocs(await store.listDocs().catch(() => this.docs));
    } finally {
      const picked = new Set(files.map((f) => f.path));
      this.waiting = this.waiting.filter((w) => !picked.has(w.path) || this.#queue.some((q) => q.path === w.path));
      this.running = false;
      this.cancelling = false;
    }
    await this.ps.refresh();
    await this.refreshPreview();
  }

  #onEvent(e: IngestEvent): void {
    if (e.type === 'progress') {
      this.progress = e.progress;
      return;
    }
    const { doc, counts } = e;
    const i = this.#index.get(doc.id);
    if (i === undefined) {
      this.#index.set(doc.id, this.docs.length);
      this.docs.push(doc);
    } else this.docs[i] = doc;
    if (counts.length > 0 || doc.status === 'queued' || doc.status === 'reading') this.fileCounts[doc.id] = counts;
    if (this.waiting.length > 0 && this.waiting[0]?.path === doc.path) this.waiting.shift();
    else if (this.waiting.length > 0) {
      const w = this.waiting.findIndex((x) => x.path === doc.path);
      if (w !== -1) this.waiting.splice(w, 1);
    }
  }

  /** Replaces the list (in the order files were added), keeping the id → position index for live events. */
  #setDocs(docs: DocumentRecord[]): void {
    this.docs = sortDocs(docs);
    this.#index = new Map(this.docs.map((d, i) => [d.id, i]));
  }
}

/** Files in the order they were added, then by path. */
function sortDocs(docs: DocumentRecord[]): DocumentRecord[] {
  return docs.slice().sort((a, b) => a.addedAt - b.addedAt || a.path.localeCompare(b.path));
}

/** The open project's corpus state (one per project, kept across step switches so a running read goes on). */
export const corpusOf = (ps: ProjectState): CorpusState => ps.part('corpus', (p) => new CorpusState(p));
