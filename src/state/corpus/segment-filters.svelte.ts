/**
 * Two optional corpus steps that choose which segments the stages see, both measured by models
 * rather than characters:
 * - a band of token lengths (percentiles, optionally a seeded N of them), counted with the
 *   project's tokenizer — the token-length twin of the corpus sampler's character band;
 * - meaning-level near-duplicates (a sentence-embedding model from the host the user names; a
 *   segment at or above the cosine threshold to an already kept one is dropped) and, optionally,
 *   the most diverse N of what is left.
 * Results are stored in the project's meta beside the segments (typed arrays keyed by seq:
 * `segment-filter:tokens`, `segment-filter:semantic` with every SemanticMark), and `keep()` gives
 * the stages the seqs to use. Both steps show progress and can be cancelled.
 */
import { sampleSegments, type SampleSpec } from '../../core/corpus/sample.ts';
import { describeError } from '../../core/errors.ts';
import { isCorpusDoc, type Segment } from '../../core/records.ts';
import { sampleByTokenPercentile, type TokenBand } from '../../core/tokens/percentile.ts';
import { mostDiverse, NearDuplicateFilter } from '../../core/tokens/semantic.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { ProjectState } from '../project/project.svelte.ts';
import { segmentSizes } from '../../adapters/ingest/preview.ts';
import { DEFAULT_CORPUS_CONFIG, type CorpusConfig } from './corpus.svelte.ts';
import type { TokenState } from '../tokens/tokens.svelte.ts';

export interface TokenBandResult {
  band: TokenBand;
  tokenizer: string;
  measured: number;
  seqs: Uint32Array;
}

export interface SemanticSettings {
  host: string;
  model: string;
  threshold: number;
  /** Keep only the most diverse N of the segments left (none: keep all that are left). */
  diverseN: number | null;
  seed: number;
}

export interface SemanticResult {
  settings: SemanticSettings;
  /** Every segment offered, in seq order; `nearDuplicateOf` −1 where kept; `similarity` to it (0 where kept). */
  seqs: Uint32Array;
  nearDuplicateOf: Int32Array;
  similarity: Float32Array;
  /** The seqs that go on to the stages (ascending). */
  kept: Uint32Array;
}

export const TOKEN_BAND_META = 'segment-filter:tokens';
export const SEMANTIC_META = 'segment-filter:semantic';

export type FilterJob = { kind: 'tokens' | 'semantic'; phase: string; done: number; total: number };

export class SegmentFilters {
  tokenBand = $state.raw<TokenBandResult | null>(null);
  semantic = $state.raw<SemanticResult | null>(null);
  job = $state<FilterJob | null>(null);
  /** The last failure of a step, shown in its panel in the user's words. */
  error = $state.raw<{ kind: 'tokens' | 'semantic'; name: string; message: string } | null>(null);
  readonly ps: ProjectState;
  readonly tokens: TokenState;
  #controller: AbortController | null = null;
  /** The last corpus sample, so a run's start, budget and resume do not each re-read every segment. */
  #sampleMemo: { key: string; seqs: Uint32Array } | null = null;

  constructor(ps: ProjectState, tokens: TokenState) {
    this.ps = ps;
    this.tokens = tokens;
  }

  async load(): Promise<void> {
    const store = await this.ps.open();
    if (!store) return;
    this.tokenBand = (await store.getMeta<TokenBandResult>(TOKEN_BAND_META)) ?? null;
    this.semantic = (await store.getMeta<SemanticResult>(SEMANTIC_META)) ?? null;
  }

  /**
   * Seqs the stages should use, or null when no filter is on (all segments): the Corpus step's
   * sample (random N, or a band of character lengths; seeded, so a resumed run gets the same
   * segments), the token band and the near-duplicate step, all together.
   */
  async keep(): Promise<Set<number> | null> {
    await this.load();
    const sample = await this.#corpusSample(this.ps.setting<CorpusConfig>('corpus', DEFAULT_CORPUS_CONFIG).sample);
    const sets = [sample ?? undefined, this.tokenBand?.seqs, this.semantic?.kept].filter((s): s is Uint32Array => s !== undefined);
    if (sets.length === 0) return null;
    const [first, ...rest] = sets as [Uint32Array, ...Uint32Array[]];
    const others = rest.map((s) => new Set(s));
    return new Set([...first].filter((seq) => others.every((o) => o.has(seq))));
  }

  cancel(): void {
    this.#controller?.abort();
  }

  /** The segments the Corpus step's sample picks, or null when it keeps all. */
  async #corpusSample(spec: SampleSpec | undefined): Promise<Uint32Array | null> {
    if (!spec || spec.mode === 'all') return null;
    const store = await this.ps.open();
    if (!store) return null;
    const info = await store.info('segments');
    // Same spec over the same segments picks the same seqs. Segments only change with the corpus
    // files (each ingest or removal gives documents new ids or counts), so those make the key.
    const docs = (await store.listDocs()).filter(isCorpusDoc).map((d) => [d.id, d.produced, d.status]);
    const key = JSON.stringify([spec, info.count, info.maxSeq, docs]);
    if (this.#sampleMemo?.key !== key) {
      const seqs = Uint32Array.from(sampleSegments(await segmentSizes(store), spec).sort((a, b) => a - b));
      this.#sampleMemo = { key, seqs };
    }
    return this.#sampleMemo.seqs;
  }

  async clear(kind: 'tokens' | 'semantic'): Promise<void> {
    const store = await this.ps.open();
    if (!store) return;
    await store.putMeta(kind === 'tokens' ? TOKEN_BAND_META : SEMANTIC_META, null);
    if (kind === 'tokens') this.tokenBand = null;
    else this.semantic = null;
  }

  /** Counts every segment's tokens and keeps the band. */
  async sampleByTokens(band: TokenBand): Promise<void> {
    await this.#job('tokens', async (store, signal) => {
      const tokenizer = this.tokens.tokenizer();
      const info = this.tokens.info;
      if (!tokenizer || !info) throw new Error('Load the model’s tokenizer first (in the Token budget panel of the Generate instructions step).');
      const total = (await store.info('segments')).count;
      const measured: { seq: number; tokens: number }[] = [];
      await store.scan<Segment>('segments', async (chunk) => {
        const counts = await tokenizer.count(chunk.map((s) => s.text), { signal });
        chunk.forEach((s, i) => measured.push({ seq: s.seq, tokens: counts[i] ?? 0 }));
        this.#progress('Counting tokens', measured.length, total);
      });
      const result: TokenBandResult = { band, tokenizer: info.name, measured: measured.length, seqs: Uint32Array.from(sampleByTokenPercentile(measured, band)) };
      await store.putMeta(TOKEN_BAND_META, result);
      this.tokenBand = result;
    });
  }

  /** Loads the embedding model, embeds every segment, drops near-duplicates, then picks the most diverse N if asked. */
  async findNearDuplicates(settings: SemanticSettings): Promise<void> {
    await this.#job('semantic', async (store, signal) => {
      const embedder = this.tokens.embedder();
      this.#progress('Loading the embedding model', 0, 0);
      await embedder.load({ host: settings.host, model: settings.model, dtype: 'q8' }, { signal });
      const total = (await store.info('segments')).count;
      const filter = new NearDuplicateFilter(settings.threshold);
      const seqs: number[] = [];
      const of: number[] = [];
      const sims: number[] = [];
      const keptVectors: { seq: number; vector: Float32Array }[] = [];
      await store.scan<Segment>('segments', async (chunk) => {
        const vectors = await embedder.embed(chunk.map((s) => s.text), { signal });
        chunk.forEach((s, i) => {
          const vector = vectors[i] as Float32Array;
          const mark = filter.offer(s.seq, vector);
          seqs.push(s.seq);
          of.push(mark.kept ? -1 : mark.nearDuplicateOf);
          sims.push(mark.kept ? 0 : mark.similarity);
          if (mark.kept && settings.diverseN !== null) keptVectors.push({ seq: s.seq, vector });
        });
        this.#progress('Embedding segments', seqs.length, total);
      });
      const left = seqs.filter((_, i) => of[i] === -1);
      const kept = settings.diverseN === null ? left : mostDiverse(keptVectors, settings.diverseN, settings.seed).sort((a, b) => a - b);
      const result: SemanticResult = {
        settings,
        seqs: Uint32Array.from(seqs),
        nearDuplicateOf: Int32Array.from(of),
        similarity: Float32Array.from(sims),
        kept: Uint32Array.from(kept),
      };
      await store.putMeta(SEMANTIC_META, result);
      this.semantic = result;
    });
  }

  #progress(phase: string, done: number, total: number): void {
    if (this.job) this.job = { ...this.job, phase, done, total };
  }

  async #job(kind: 'tokens' | 'semantic', work: (store: ProjectStore, signal: AbortSignal) => Promise<void>): Promise<void> {
    const store = await this.ps.open();
    if (!store || this.job) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.job = { kind, phase: 'Starting', done: 0, total: 0 };
    this.error = null;
    try {
      await work(store, controller.signal);
    } catch (err) {
      const e = describeError(err);
      if (e.name !== 'AbortError') {
        this.error = { kind, ...e };
        this.ps.notices.error(err, kind === 'tokens' ? 'Sampling by token length' : 'Finding near-duplicates');
      }
    } finally {
      this.job = null;
      this.#controller = null;
    }
  }
}
