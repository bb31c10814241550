/**
 * The seed step's state: the seed files the user dropped (each with its report: format, skipped
 * rows by reason, counts at each filter), the pairs kept, the filter switches, and the reversed
 * set for the backward model. Files are read on the page (seed sets are small) one at a time,
 * with a progress bar and cancel; each lands in the store in one write (adapters/seed-store.ts).
 *
 * Files dropped in this session are held so a different format or new switches can be applied
 * to them at once; files from an earlier session must be dropped again for that (the browser
 * does not let a page re-open a file by itself).
 */
import { clickDownload } from '../../adapters/export/save-target.ts';
import type { PickedFile } from '../../adapters/file-drop.ts';
import { addSeedFile, loadSeedLibrary, removeSeedFile, type SeedFile } from '../../adapters/seed-store.ts';
import { AbortedError, describeError } from '../../core/errors.ts';
import { RateWindow } from '../../core/progress.ts';
import type { SeedPair } from '../../core/records.ts';
import { DEFAULT_SEED_FILTERS, seedKey, type SeedFilterOptions } from '../../core/seed/filters.ts';
import { exportReversedJsonl, type ReversedExport, type ReversedExportFormat } from '../../core/seed/reverse.ts';
import type { PromptTemplate } from '../../core/stages/prompts.ts';
import { TemplateBook } from '../stages/stage-forms.svelte.ts';
import { seedStats } from '../../core/seed/stats.ts';
import type { SeedFormat } from '../../core/seed/types.ts';
import { ExemplarState } from './seed-exemplars.svelte.ts';
import { seedTotals } from './seed-totals.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export { loadExemplars, type ExemplarSetting } from './seed-exemplars.svelte.ts';

export const SEED_FILTERS_SETTING = 'seedFilters';
export const PAGE_SIZE = 20;

export interface SeedImportProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  currentPath: string;
  rate: number | null;
  etaSeconds: number | null;
}

const sameFilters = (a: SeedFilterOptions, b: SeedFilterOptions) =>
  a.singleTurn === b.singleTurn && a.english === b.english && a.topRank === b.topRank && a.dedupe === b.dedupe;

export class SeedState {
  readonly ps: ProjectState;
  files = $state.raw<SeedFile[]>([]);
  /** Every stored pair, in seq order. */
  pairs = $state.raw<SeedPair[]>([]);
  loaded = $state(false);
  busy = $state(false);
  progress = $state<SeedImportProgress | null>(null);
  pageIndex = $state(0);
  /** Files (by document id) dropped in this session, which can be re-imported without dropping them again. */
  held = $state.raw<ReadonlySet<string>>(new Set());
  readonly exemplars: ExemplarState;
  readonly filters = $derived.by((): SeedFilterOptions => ({ ...DEFAULT_SEED_FILTERS, ...this.ps.setting<Partial<SeedFilterOptions>>(SEED_FILTERS_SETTING, {}) }));
  readonly totals = $derived.by(() => seedTotals(this.files));
  readonly stats = $derived.by(() => seedStats(this.pairs.map((p) => ({ instruction: p.instruction, response: p.response, lang: p.lang ?? 'und' }))));
  readonly pageCount = $derived(Math.max(1, Math.ceil(this.pairs.length / PAGE_SIZE)));
  readonly page = $derived(this.pairs.slice(this.pageIndex * PAGE_SIZE, (this.pageIndex + 1) * PAGE_SIZE));
  /** Held files imported with other switches than the current ones. */
  readonly stale = $derived(this.files.filter((f) => f.report !== null && !sameFilters(f.filters, this.filters)));

  readonly #blobs = new Map<string, Blob>();
  #abort: AbortController | null = null;
  #loading: Promise<void> | null = null;

  constructor(ps: ProjectState) {
    this.ps = ps;
    this.exemplars = new ExemplarState(ps, () => this.pairs);
  }

  /** Reads the stored files and pairs (once; later calls wait for the same read). */
  load(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async #load(): Promise<void> {
    const store = await this.ps.open();
    if (!store) return;
    try {
      const { files, pairs } = await loadSeedLibrary(store);
      this.files = files;
      this.pairs = pairs;
      this.loaded = true;
      await this.exemplars.sync();
    } catch (err) {
      this.ps.notices.error(err, 'Reading the seed set');
    }
  }

  async setFilter(key: keyof SeedFilterOptions, on: boolean): Promise<void> {
    await this.ps.saveSetting(SEED_FILTERS_SETTING, { ...this.filters, [key]: on });
  }

  isHeld(docId: string): boolean {
    return this.held.has(docId);
  }

  /** Imports dropped files one after another; stops at cancel (the file being read is not stored). */
  async importFiles(picked: readonly PickedFile[]): Promise<void> {
    await this.#run(picked.map((p) => ({ file: p.file, path: p.path, format: 'auto' as const })));
  }

  /** Reads a file dropped this session again, in the given format (or 'auto'), with the current switches. */
  async reimport(docId: string, format: SeedFormat | 'auto'): Promise<void> {
    const file = this.#blobs.get(docId);
    const old = this.files.find((f) => f.doc.id === docId);
    if (!file || !old) return;
    await this.#run([{ file, path: old.doc.path, format, replace: old }]);
  }

  /** Reads every held file whose switches differ from the current ones again. */
  async reimportStale(): Promise<void> {
    const jobs = this.stale.flatMap((f) => {
      const file = this.#blobs.get(f.doc.id);
      return file ? [{ file, path: f.doc.path, format: f.choice, replace: f }] : [];
    });
    await this.#run(jobs);
  }

  async removeFile(docId: string): Promise<void> {
    const target = this.files.find((f) => f.doc.id === docId);
    const store = this.ps.store;
    if (!target || !store || this.busy) return;
    this.busy = true;
    try {
      await removeSeedFile(store, target.doc);
      this.#drop(docId);
      await this.exemplars.sync();
      await this.ps.refresh();
    } catch (err) {
      this.ps.notices.error(err, `Removing ${target.doc.path}`);
    } finally {
      this.busy = false;
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  goToPage(index: number): void {
    this.pageIndex = Math.min(this.pageCount - 1, Math.max(0, index));
  }

  /**
   * The project's current fine-tuned generation template: the backward model is trained in its
   * words, so generation asks the trained model in words it saw in training.
   */
  get backwardTemplate(): PromptTemplate {
    return new TemplateBook(this.ps).get('augment-finetuned');
  }

  /** The reversed pairs (response → instruction) as JSON Lines, for the backward model's training. */
  reversed(format: ReversedExportFormat): ReversedExport {
    const t = this.backwardTemplate;
    return exportReversedJsonl(this.pairs, format, { system: t.system, user: t.user });
  }

  /** Downloads the reversed set; returns the file name. */
  downloadReversed(format: ReversedExportFormat, deliver: (blob: Blob, name: string) => void = clickDownload): string {
    const out = this.reversed(format);
    const kind = format.shape === 'messages' ? 'messages' : `${format.shape}-${format.template}`;
    const name = `${slug(this.ps.project.name)}-backward-${kind}.jsonl`;
    deliver(new Blob([out.text], { type: 'application/jsonl' }), name);
    return name;
  }

  async #run(jobs: { file: Blob; path: string; format: SeedFormat | 'auto'; replace?: SeedFile }[]): Promise<void> {
    const store = this.ps.store ?? (await this.ps.open());
    if (!store || this.busy || jobs.length === 0) return;
    await this.load();
    this.busy = true;
    const abort = (this.#abort = new AbortController());
    const rates = new RateWindow();
    const bytesTotal = jobs.reduce((n, j) => n + j.file.size, 0);
    const progress: SeedImportProgress = { bytesDone: 0, bytesTotal, filesDone: 0, filesTotal: jobs.length, currentPath: '', rate: null, etaSeconds: null };
    const show = (bytesDone: number) => {
      rates.add({ at: performance.now(), done: bytesDone });
      const { rate, etaSeconds } = rates.estimate(bytesTotal);
      this.progress = { ...progress, bytesDone, rate, etaSeconds };
    };
    try {
      for (const job of jobs) {
        if (abort.signal.aborted) break;
        progress.currentPath = job.path;
        const before = progress.bytesDone;
        show(before);
        // A re-import first takes the file's old pairs out, so they neither block its new ones as duplicates nor stay twice.
        if (job.replace) await this.#forget(job.replace);
        const existing = new Set(this.pairs.map(seedKey));
        const nextSeq = (await store.info('seeds')).maxSeq + 1;
        try {
          const { file, pairs } = await addSeedFile(store, job.file, job.path, {
            format: job.format, filters: this.filters, existing, nextSeq, replace: job.replace?.doc, signal: abort.signal,
            onProgress: (p) => show(before + Math.min(p.bytes, job.file.size)),
          });
          const others = this.files.filter((f) => f.doc.id !== file.doc.id);
          this.files = job.replace ? this.files.map((f) => (f.doc.id === file.doc.id ? file : f)) : [...others, file];
          this.pairs = [...this.pairs, ...pairs];
          this.#blobs.set(file.doc.id, job.file);
        } catch (err) {
          // A re-imported file whose new read did not land is gone from the store: drop its entry too.
          if (job.replace) this.#drop(job.replace.doc.id);
          if (describeError(err).name === 'AbortError' || err instanceof AbortedError) break;
          throw err;
        }
        progress.bytesDone = before + job.file.size;
        progress.filesDone += 1;
        show(progress.bytesDone);
      }
    } catch (err) {
      this.ps.notices.error(err, 'Importing seed files');
    } finally {
      this.held = new Set(this.#blobs.keys());
      this.#abort = null;
      this.busy = false;
      this.progress = null;
      await this.exemplars.sync();
      await this.ps.refresh();
    }
  }

  #drop(docId: string): void {
    this.files = this.files.filter((f) => f.doc.id !== docId);
    this.pairs = this.pairs.filter((p) => p.source.docId !== docId);
    this.#blobs.delete(docId);
    this.held = new Set(this.#blobs.keys());
    this.pageIndex = Math.min(this.pageIndex, Math.max(0, Math.ceil(this.pairs.length / PAGE_SIZE) - 1));
  }

  /** Removes a stored file's pairs before it is read again (its entry stays until the new read lands). */
  async #forget(file: SeedFile): Promise<void> {
    const store = this.ps.store;
    if (!store) return;
    await removeSeedFile(store, file.doc);
    this.pairs = this.pairs.filter((p) => p.source.docId !== file.doc.id);
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'seeds';
}

/** The open project's seed state (one per project, shared by the Seed step and the sample project). */
export const seedsOf = (ps: ProjectState): SeedState => ps.part('seeds', (p) => new SeedState(p));
