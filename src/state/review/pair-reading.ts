/**
 * Reading pairs from the store for the review: every chunk once to fill the compact index, and
 * every text once for a full-text search. The pairs themselves come from core's one join
 * (core/curation/walk.ts), so review, export, training and the funnel agree on every pair.
 */
import { pairsBySeq, walkPairs } from '../../core/curation/walk.ts';
import type { CuratedPair } from '../../core/curation/pair.ts';
import type { CuratedSet } from '../../core/curation/curated-set.ts';
import { compileQuery } from '../../core/review/query.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { blankRow, PairIndex } from './pair-index.ts';

export interface IndexControl {
  signal?: AbortSignal;
  /** Called once the empty index exists, before it is filled (a table can show rows as they come). */
  onStart?: (index: PairIndex) => void;
  /** After each stored chunk: rows indexed so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/** The pairs with these seqs (in that order; seqs with no segment are left out). */
export const loadPairs = (store: ProjectStore, set: CuratedSet, seqs: readonly number[]): Promise<CuratedPair[]> => pairsBySeq(store, set, seqs);

/** Reads every stored chunk once and fills a new index. */
export async function buildIndex(store: ProjectStore, set: CuratedSet, control: IndexControl = {}): Promise<PairIndex> {
  const info = await store.info('segments');
  const index = new PairIndex(info.count, set.rounds.map((r) => r.runId));
  control.onStart?.(index);
  await walkPairs(store, set, (pairs) => {
    for (const p of pairs) {
      if (index.size >= index.capacity) break;
      index.set(index.size++, p);
    }
    control.onProgress?.(index.size, index.capacity);
  }, control.signal);
  return index;
}

/**
 * Which rows contain every search term in their instruction or response (1 in the mask), by
 * reading the stored texts once — the index does not keep them.
 */
export async function searchMask(store: ProjectStore, set: CuratedSet, index: PairIndex, search: string, control: IndexControl = {}): Promise<Uint8Array> {
  const test = compileQuery({ search });
  const mask = new Uint8Array(index.capacity);
  const row = blankRow();
  let done = 0;
  await walkPairs(store, set, (pairs) => {
    for (const p of pairs) {
      const pos = index.posOf(p.seq);
      if (pos < 0) continue;
      row.instruction = p.instruction;
      row.response = p.response;
      if (test(row)) mask[pos] = 1;
    }
    done += pairs.length;
    control.onProgress?.(done, index.size);
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
