/**
 * The corpus step for one open project: the files the user dropped (each with its status and
 * its before → after counts), the ingest running in the worker (progress, cancel), and the
 * preview read back from the store (counts, length histogram, a page of sample segments).
 *
 * The store is the truth: the file list is `listDocs()` plus the worker's live events, so a
 * reload shows exactly what was kept. A file a previous session left half-read is rolled back by
 * the worker's clean restart as soon as the step opens; the page cannot re-read it on its own
 * (the browser forgets dropped files on reload), so the list asks for it to be dropped again.
 *
 * Project setting this class owns: `corpus`: `CorpusConfig` — `{ settings: CorpusSettings,
 * sample: SampleSpec }`. Later stages read the sample choice from it
 * (`ps.setting('corpus', DEFAULT_CORPUS_CONFIG).sample`, selected with `sampleSegments`).
 */
import { SvelteMap } from 'svelte/reactivity';
import type { PickedFile } from '../adapters/file-drop.ts';
import { IngestClient } from '../adapters/ingest/ingest-client.ts';
import type { IngestEvent, IngestProgress } from '../adapters/ingest/ingest-service.ts';
import { countsKey, type CorpusPreview } from '../adapters/ingest/preview.ts';
import type { StepCount } from '../core/corpus/filters.ts';
import { DEFAULT_CORPUS_SETTINGS, type CorpusSettings } from '../core/corpus/pipeline.ts';
import type { SampleSpec } from '../core/corpus/sample.ts';
import type { DocumentRecord } from '../core/records.ts';
import { withIngestLock } from './ingest-lock.ts';
import type { ProjectState } from './project.svelte.ts';

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
  readonly ps: ProjectState;
  readonly #makeClient: () => IngestPort;
  #client: IngestPort | null = null;
  /** Files picked this session by path, so a skipped or cancelled one can be read again without a new drop. */
  readonly #files = new SvelteMap<string, File>();
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

  haveFile(path: string): boolean {
    return this.#files.has(path);
  }

  /** Files the list shows as waiting that this session could read now (picked, then cancelled). */
  get readable(): DocumentRecord[] {
    return this.docs.filter((d) => d.status === 'queued' && this.#files.has(d.path));
  }

  /** Reads what is stored; rolls back files a previous session left half-read. Safe to call again. */
  async load(): Promise<void> {
    if (this.loaded) return;
    const store = this.ps.store;
    if (!store) return;
    try {
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
    for (const f of files) {
      this.#files.set(f.path, f.file);
      if (!this.waiting.some((w) => w.path === f.path)) this.waiting.push({ path: f.path, bytes: f.file.size });
      this.#queue = [...this.#queue.filter((q) => q.path !== f.path), f];
    }
    if (!this.running) void this.#drain();
  }

  /** Reads again the files this session still holds that are queued (after a cancel). */
  readWaiting(): void {
    this.add(this.readable.map((d) => ({ path: d.path, file: this.#files.get(d.path) as File })));
  }

  /** Reads one skipped file again with the text field the user chose. */
  async retryWithField(doc: DocumentRecord, field: string): Promise<void> {
    const file = this.#files.get(doc.path);
    if (!file || this.running) return;
    await this.#run([{ path: doc.path, file }], { ...this.#settings(), textField: field.trim() || undefined });
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
