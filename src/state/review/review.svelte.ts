/**
 * The review screen's state: the compact index of every pair (built once by reading the stored
 * chunks, rows shown while it fills), the filters, sort and search, the rows the filters let
 * through (`view`, positions into the index), the cursor, and the texts of the rows on screen,
 * read page by page from the store and kept in a small cache.
 *
 * A person's work is saved at once, as a `HumanDecision` record of the pair (core/curation/
 * decisions.ts): an accept or reject overrides every rating run of every round, in review,
 * export and training alike; an edit keeps the model's words on the candidate and the person's
 * in the decision, and makes a failed candidate usable (a person wrote it). Neither changes which
 * rows the filters show until the filters change, so j/k keep their place.
 */
import type { CuratedSet } from '../../core/curation/curated-set.ts';
import { usableInstruction, withInstruction, withRewriteChoice, withVerdict, type Verdict } from '../../core/curation/decisions.ts';
import type { CuratedPair, PairStatus } from '../../core/curation/pair.ts';
import { RateWindow } from '../../core/progress.ts';
import type { Collection } from '../../core/records.ts';
import type { PairRow, PairSort } from '../../core/review/query.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { blankRow, type PairIndex } from './pair-index.ts';
import { buildIndex, loadPairs, pairMatches, searchMask } from './pair-reading.ts';
import { currentSet } from './curation.ts';
import type { ProjectState } from '../project/project.svelte.ts';
import { reviewCharts, type ReviewCharts } from './review-charts.ts';
import { noFilters, toQuery, type ReviewFilters } from './review-filters.ts';

export { noFilters, toQuery, type ReviewFilters } from './review-filters.ts';

/** What a table row shows: the index summary, and the texts once its page is read. */
export interface ShownRow {
  i: number;
  row: PairRow;
  pair: CuratedPair | undefined;
}

const CACHE_LIMIT = 4000;
/**
 * While the index fills, the view is recomputed at most this often — and never more than 1/20
 * of the time, since recomputing costs more as the index grows (≈ 0.15 s at 500,000 rows).
 */
const PARTIAL_REFRESH_MS = 500;
const PARTIAL_REFRESH_SHARE = 20;

export class ReviewState {
  phase = $state<'idle' | 'loading' | 'empty' | 'ready'>('idle');
  progress = $state({ done: 0, total: 0, rate: null as number | null, eta: null as number | null });
  searching = $state<{ done: number; total: number } | null>(null);
  filters = $state<ReviewFilters>(noFilters());
  sort = $state<PairSort>({ key: 'seq', dir: 'asc' });
  view = $state.raw<Int32Array>(new Int32Array(0));
  cursor = $state(0);
  editing = $state(false);
  charts = $state.raw<ReviewCharts | null>(null);
  /** Bumped when pairs are read or rows change, so rows and detail re-render. */
  version = $state(0);
  sources = $state.raw<string[]>([]);
  rounds = $state.raw<number[]>([]);
  readonly ps: ProjectState;
  index: PairIndex | null = null;
  /** The curated set the rows belong to (undefined before the first read). */
  set: CuratedSet | undefined;
  #pairs = new Map<number, CuratedPair>();
  #mask: { search: string; mask: Uint8Array } | null = null;
  #wanted: number[] = [];
  #reading = false;
  #fingerprint = '';
  #generation = 0;
  #controller: AbortController | null = null;

  constructor(ps: ProjectState) {
    this.ps = ps;
  }

  /** Builds the index when the stored pairs changed since the last time (or never were read). */
  async open(): Promise<void> {
    const store = await this.ps.open();
    if (!store) return;
    try {
      const runs = await store.listRuns();
      const set = currentSet(this.ps, runs);
      const infos = await store.collections();
      const src = set.source;
      const counted = src ? ['segments', src.candidates, ...src.ratings, ...src.failures, src.decisions] : [];
      const fingerprint = JSON.stringify([set, counted.map((c) => infos.find((i) => i.collection === c)?.count ?? 0)]);
      if (fingerprint === this.#fingerprint && this.phase !== 'idle') return;
      this.#fingerprint = fingerprint;
      await this.#build(set);
    } catch (err) {
      this.ps.notices.error(err, 'Reading the pairs');
    }
  }

  async #build(set: CuratedSet): Promise<void> {
    const store = this.ps.store;
    const generation = ++this.#generation;
    this.#controller?.abort();
    this.#pairs.clear();
    this.#mask = null;
    this.set = set;
    this.index = null;
    this.view = new Int32Array(0);
    this.charts = null;
    this.rounds = [...new Set(set.rounds.map((r) => r.round))].sort((a, b) => a - b);
    if (!store || !set.source) {
      this.phase = 'empty';
      return;
    }
    const controller = (this.#controller = new AbortController());
    this.phase = 'loading';
    const rate = new RateWindow();
    let nextShow = 0;
    const index = await buildIndex(store, set, {
      signal: controller.signal,
      onStart: (ix) => (this.index = ix),
      onProgress: (done, total) => {
        if (generation !== this.#generation) return;
        rate.add({ at: Date.now(), done });
        const e = rate.estimate(total);
        this.progress = { done, total, rate: e.rate, eta: e.etaSeconds };
        if (Date.now() >= nextShow) {
          const t0 = Date.now();
          this.refilter();
          nextShow = Date.now() + Math.max(PARTIAL_REFRESH_MS, (Date.now() - t0) * PARTIAL_REFRESH_SHARE);
        }
      },
    }).catch((err: unknown) => {
      if ((err as Error).name === 'AbortError') return null;
      throw err;
    });
    if (!index || generation !== this.#generation) return;
    this.index = index;
    this.phase = 'ready';
    if (this.filters.search.trim() !== '') await this.#searchAndFilter();
    else this.refilter();
  }

  /** Recomputes the rows the filters let through (the search uses the last finished scan). */
  refilter(): void {
    const index = this.index;
    if (!index) return;
    this.sources = [...index.sources].sort((a, b) => a.localeCompare(b));
    const search = this.filters.search.trim();
    const mask = search !== '' && this.#mask?.search === search ? this.#mask.mask : undefined;
    const keep = this.view[this.cursor];
    const keepSeq = keep === undefined ? undefined : index.seq[keep];
    const view = index.query(toQuery($state.snapshot(this.filters)), $state.snapshot(this.sort), mask);
    this.view = view;
    // The cursor stays on the same pair when it is still shown.
    const at = keepSeq === undefined ? -1 : view.findIndex((pos) => index.seq[pos] === keepSeq);
    this.cursor = at >= 0 ? at : Math.min(this.cursor, Math.max(0, view.length - 1));
    this.charts = reviewCharts(index, view, this.set?.rounds ?? []);
  }

  /** Changes filters and shows the result; a changed search text reads the stored texts once. */
  async setFilters(patch: Partial<ReviewFilters>): Promise<void> {
    Object.assign(this.filters, patch);
    this.editing = false;
    const search = this.filters.search.trim();
    if (search !== '' && this.#mask?.search !== search) await this.#searchAndFilter();
    else this.refilter();
  }

  setSort(sort: PairSort): void {
    this.sort = sort;
    this.refilter();
  }

  async #searchAndFilter(): Promise<void> {
    const store = this.ps.store;
    const index = this.index;
    const set = this.set;
    const search = this.filters.search.trim();
    if (!store || !index || !set || this.phase !== 'ready') return;
    const generation = this.#generation;
    this.searching = { done: 0, total: index.size };
    try {
      const mask = await searchMask(store, set, index, search, { onProgress: (done, total) => (this.searching = { done, total }) });
      if (generation !== this.#generation || this.filters.search.trim() !== search) return;
      this.#mask = { search, mask };
      this.refilter();
    } catch (err) {
      this.ps.notices.error(err, 'Searching the pairs');
    } finally {
      if (generation === this.#generation) this.searching = null;
    }
  }

  /** The rows at view positions [start, end), reading their texts if not yet read. */
  rowsIn(start: number, end: number): ShownRow[] {
    void this.version;
    const index = this.index;
    const out: ShownRow[] = [];
    if (!index) return out;
    const missing: number[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.view.length); i++) {
      const pos = this.view[i] as number;
      const row = index.summary(pos, blankRow());
      const pair = this.#pairs.get(row.seq);
      if (!pair) missing.push(row.seq);
      out.push({ i, row, pair });
    }
    if (missing.length > 0) this.#want(missing);
    return out;
  }

  get selected(): CuratedPair | undefined {
    void this.version;
    const pos = this.view[this.cursor];
    if (pos === undefined || !this.index) return undefined;
    const seq = this.index.seq[pos] as number;
    const pair = this.#pairs.get(seq);
    if (!pair) this.#want([seq]);
    return pair;
  }

  #want(seqs: number[]): void {
    // The latest request first (the rows on screen now), then what was asked before, bounded.
    this.#wanted = [...new Set([...seqs, ...this.#wanted])].slice(0, 400);
    if (!this.#reading) void this.#readWanted();
  }

  async #readWanted(): Promise<void> {
    const store = this.ps.store;
    const set = this.set;
    if (!store || !set) return;
    this.#reading = true;
    try {
      while (this.#wanted.length > 0) {
        const seqs = this.#wanted;
        this.#wanted = [];
        const generation = this.#generation;
        // Deferred to a task: rowsIn runs while rendering, and state must not change then.
        await Promise.resolve();
        const pairs = await loadPairs(store, set, seqs);
        if (generation !== this.#generation) continue;
        for (const p of pairs) this.#remember(p);
        this.version++;
      }
    } catch (err) {
      this.ps.notices.error(err, 'Reading the pairs');
    } finally {
      this.#reading = false;
    }
  }

  #remember(p: CuratedPair): void {
    this.#pairs.delete(p.seq);
    this.#pairs.set(p.seq, p);
    if (this.#pairs.size > CACHE_LIMIT) {
      const oldest = this.#pairs.keys().next().value;
      if (oldest !== undefined) this.#pairs.delete(oldest);
    }
  }

  select(i: number): void {
    if (this.view.length === 0) return;
    this.cursor = Math.max(0, Math.min(this.view.length - 1, i));
    this.editing = false;
  }

  move(delta: number): void {
    this.select(this.cursor + delta);
  }

  /** The pair under the cursor, read from the store if it is not in the cache yet. */
  async #current(): Promise<CuratedPair | undefined> {
    const store = this.ps.store;
    const pos = this.view[this.cursor];
    if (!store || !this.set || !this.index || pos === undefined) return undefined;
    const seq = this.index.seq[pos] as number;
    return this.#pairs.get(seq) ?? (await loadPairs(store, this.set, [seq]))[0];
  }

  /**
   * Accepts or rejects the pair under the cursor (null clears the verdict). The decision overrides
   * every rating, in every round to come; an edited pair with no rating yet can be accepted as is.
   */
  async decide(verdict: Verdict | null): Promise<void> {
    try {
      const pair = await this.#current();
      const set = this.set;
      if (!pair || !set) return;
      if (verdict === 'accept' && usableInstruction(pair.candidate, pair.decision) === null) {
        this.ps.notices.info('No usable instruction', 'This pair has no usable instruction, so it cannot be accepted. Press e to write one, then accept it.');
        return;
      }
      await this.#save(pair, (store, collection) => store.put(collection, [withVerdict(pair.decision, set, pair.seq, verdict)]));
    } catch (err) {
      this.ps.notices.error(err, 'Saving the decision');
    }
  }

  /** Accept-rewrite or keep-original for the pair under the cursor (null: the checks decide again). A human decision. */
  async decideRewrite(choice: 'accept' | 'keep-original' | null): Promise<void> {
    try {
      const pair = await this.#current();
      const set = this.set;
      if (!pair || !set || !pair.rewrite) return;
      await this.#save(pair, (store, collection) => store.put(collection, [withRewriteChoice(pair.decision, set, pair.seq, choice)]));
    } catch (err) {
      this.ps.notices.error(err, 'Saving the rewrite decision');
    }
  }

  /** Replaces the instruction of the pair under the cursor with a person's text (the model's stays on the candidate). */
  async saveInstruction(text: string): Promise<void> {
    try {
      const pair = await this.#current();
      const set = this.set;
      if (!pair || !set || (!pair.candidate && !pair.decision)) {
        this.ps.notices.info('No instruction to edit', 'No instruction was generated for this passage yet. Run step 3 (Generate instructions) first.');
        return;
      }
      if (text.trim() === '') {
        this.ps.notices.info('Instruction is empty', 'Write an instruction before saving, or press Escape to keep the current one.');
        return;
      }
      if (text === pair.instruction) {
        this.editing = false;
        return;
      }
      await this.#save(pair, (store, collection) => store.put(collection, [withInstruction(pair.decision, set, pair.seq, text)]));
      this.editing = false;
    } catch (err) {
      this.ps.notices.error(err, 'Saving the instruction');
    }
  }

  /** Runs a write, then reads the pair back so the table, detail and charts show what is stored. */
  async #save(pair: CuratedPair, write: (store: ProjectStore, decisions: Collection) => Promise<void>): Promise<void> {
    const store = this.ps.store;
    const index = this.index;
    const set = this.set;
    if (!store || !index || !set?.source) return;
    await write(store, set.source.decisions);
    const [fresh] = await loadPairs(store, set, [pair.seq]);
    if (!fresh) return;
    this.#remember(fresh);
    const pos = index.posOf(fresh.seq);
    if (pos >= 0) {
      index.set(pos, fresh);
      if (this.#mask) this.#mask.mask[pos] = pairMatches(fresh, this.#mask.search) ? 1 : 0;
    }
    this.charts = reviewCharts(index, this.view, set.rounds);
    this.version++;
  }

  close(): void {
    this.#controller?.abort();
  }
}
