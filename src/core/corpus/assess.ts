/**
 * The half of judging a segment that needs nothing but the segment: the quality filters, the
 * exact-dedup hash and the MinHash signature. It is most of the work and has no shared state,
 * so files can be assessed on several threads at once; admitting (dedup against everything
 * before, numbering) stays in one place, in ingest order, so the result is the same either way.
 */
import { DEFAULT_NEAR_DUP, MinHasher, segmentHash } from './dedup.ts';
import { rejectReason, type FilterId, type FilterSettings } from './filters.ts';
import type { RawSegment } from './segment.ts';
import { SegmentWords } from './words.ts';
import type { CorpusSettings } from './pipeline.ts';

/** A raw segment with the verdict of everything that can be decided about it alone. */
export interface Assessed {
  /** Empty for a segment a filter removed: nothing downstream reads it. */
  text: string;
  headers: string[];
  offset: number;
  page?: number;
  /** Record number in a records file (jsonl, csv, parquet…). */
  row?: number;
  /** The first filter that removed it, or null when it passed them all. */
  removed: FilterId | null;
  /** Exact-dedup key (`segmentHash`); empty when removed. */
  hash: string;
  /** MinHash signature when near-dup is on and the segment passed the filters. */
  sig: Uint32Array | null;
}

export class SegmentAssessor {
  readonly #filters: FilterSettings;
  readonly #hasher: MinHasher | null;
  /** Reused for every segment: its word buffers are allocated once. */
  readonly #words = new SegmentWords();

  constructor(settings: CorpusSettings) {
    this.#filters = { ...settings.filters, window: settings.window };
    const near = settings.nearDup ?? DEFAULT_NEAR_DUP;
    this.#hasher = settings.nearDedup ? new MinHasher(near.bands * near.rows, near.seed, near.shingle) : null;
  }

  assess(raw: RawSegment, row?: number): Assessed {
    // The words are scanned once, on first use, for the repetition filter, the hash and MinHash alike.
    const words = this.#words.reset(raw.text);
    const removed = rejectReason(raw, this.#filters, words);
    const out: Assessed =
      removed === null
        ? { text: raw.text, headers: raw.headers, offset: raw.offset, removed, hash: segmentHash(words), sig: this.#hasher ? this.#hasher.signatureOf(words.hashed()) : null }
        : { text: '', headers: raw.headers, offset: raw.offset, removed, hash: '', sig: null };
    if (raw.page !== undefined) out.page = raw.page;
    if (row !== undefined) out.row = row;
    return out;
  }
}
