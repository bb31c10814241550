/**
 * Reading pairs from the store for the review: a page of them by seq (the rows on screen), every
 * chunk once to fill the compact index, and every text once for a full-text search. Each stored
 * chunk of segments is joined with its candidates, ratings and failures as the export joins
 * them (core's joinPairs), so review and export agree on every pair.
 */
import { joinPairs, type CuratedPair } from '../../core/export/pairs.ts';
import { AbortedError } from '../../core/errors.ts';
import type { Candidate, ItemFailure, Rating, Segment } from '../../core/records.ts';
import { compileQuery } from '../../core/review/query.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { blankRow, PairIndex } from './pair-index.ts';
import type { ReviewSource } from './pair-source.ts';

export interface IndexControl {
  signal?: AbortSignal;
  /** Called once the empty index exists, before it is filled (a table can show rows as they come). */
  onStart?: (index: PairIndex) => void;
  /** After each stored chunk: rows indexed so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/** The candidates, ratings and failures for `segments`, joined into pairs. */
export async function joinStored(store: ProjectStore, rs: ReviewSource, segments: Segment[]): Promise<CuratedPair[]> {
  const seqs = segments.map((s) => s.seq);
  const [candidates, ratings, failures] = await Promise.all([
    store.get<Candidate>(rs.source.candidates, seqs),
    Promise.all(rs.source.ratings.map((c) => store.get<Rating>(c, seqs))),
    Promise.all(rs.source.failures.map((c) => store.get<ItemFailure>(c, seqs))),
  ]);
  // Later failure collections win, as in the export.
  const failure = seqs.map((_, i) => failures.reduce<ItemFailure | undefined>((f, run) => run[i] ?? f, undefined));
  return joinPairs(segments, candidates, ratings, failure, rs.selection);
}

/** The pairs with these seqs (in that order; seqs with no segment are left out). */
export async function loadPairs(store: ProjectStore, rs: ReviewSource, seqs: readonly number[]): Promise<CuratedPair[]> {
  const segments = (await store.get<Segment>('segments', seqs)).filter((s): s is Segment => s !== undefined);
  return joinStored(store, rs, segments);
}

/**
 * Runs `each` on every stored chunk of segments with two chunks in flight: while one chunk's
 * other records are read and handled, the next chunk of segments is already being read (as the
 * export does). Chunks are handled in order.
 */
async function eachChunk(store: ProjectStore, each: (segments: Segment[]) => Promise<() => void>, signal?: AbortSignal): Promise<void> {
  let pending: Promise<void> = Promise.resolve();
  await store.scan<Segment>('segments', async (segments) => {
    if (signal?.aborted) throw new AbortedError('Reading the pairs was stopped.');
    const previous = pending;
    pending = (async () => {
      const apply = await each(segments);
      await previous;
      apply();
    })();
    // Observed here; a failure still surfaces through the awaits of `pending`.
    pending.catch(() => undefined);
    await previous;
  });
  await pending;
}

/** Reads every stored chunk once and fills a new index. */
export async function buildIndex(store: ProjectStore, rs: ReviewSource, control: IndexControl = {}): Promise<PairIndex> {
  const info = await store.info('segments');
  const index = new PairIndex(info.count, rs.rounds.map((r) => r.runId));
  control.onStart?.(index);
  await eachChunk(store, async (segments) => {
    const pairs = await joinStored(store, rs, segments);
    return () => {
      for (const p of pairs) {
        if (index.size >= index.capacity) break;
        index.set(index.size++, p);
      }
      control.onProgress?.(index.size, index.capacity);
    };
  }, control.signal);
  return index;
}

/**
 * Which rows contain every search term in their instruction or response (1 in the mask), by
 * reading the stored texts once — the index does not keep them.
 */
export async function searchMask(store: ProjectStore, rs: ReviewSource, index: PairIndex, search: string, control: IndexControl = {}): Promise<Uint8Array> {
  const test = compileQuery({ search });
  const mask = new Uint8Array(index.capacity);
  const row = blankRow();
  let done = 0;
  await eachChunk(store, async (segments) => {
    const candidates = await store.get<Candidate>(rs.source.candidates, segments.map((s) => s.seq));
    return () => {
      segments.forEach((s, i) => {
        const pos = index.posOf(s.seq);
        if (pos < 0) return;
        const c = candidates[i];
        row.instruction = c?.seq === s.seq ? c.instruction : '';
        row.response = s.text;
        if (test(row)) mask[pos] = 1;
      });
      done += segments.length;
      control.onProgress?.(done, index.size);
    };
  }, control.signal);
  return mask;
}

/** Does this loaded pair match the search (for a row whose instruction was just edited)? */
export function pairMatches(p: CuratedPair, search: string): boolean {
  const row = blankRow();
  row.instruction = p.instruction;
  row.response = p.response;
  return compileQuery({ search })(row);
}
