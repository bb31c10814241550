/**
 * The repetition filter's measure over a scanned word list, and the working memory it shares
 * with `WordList.ids`.
 */
import type { WordList } from './words.ts';

/**
 * Working memory for `ids` and `repetitionOfWords`, kept between calls: both run to completion
 * on one segment at a time, and allocating (and zeroing) fresh tables per segment was a
 * measurable part of ingest.
 */
export const scratch = { table: new Int32Array(1024), firstOf: new Int32Array(1024), ids: new Int32Array(1024), grams: new Int32Array(1024) };

/** A table of `cap` slots, all -1. */
export function scratchTable(cap: number): Int32Array {
  if (scratch.table.length < cap) scratch.table = new Int32Array(cap);
  const table = scratch.table.subarray(0, cap);
  table.fill(-1);
  return table;
}

/** Share of word n-gram occurrences that repeat an n-gram seen earlier: `repetitionRatio` over a scanned list. */
export function repetitionOfWords(words: WordList, n: number): number {
  const total = words.count - n + 1;
  if (total <= 1) return 0;
  if (scratch.ids.length < words.count) scratch.ids = new Int32Array(words.count + 64);
  const ids = scratch.ids;
  words.ids(ids);
  // An open-addressing set of n-grams: each slot holds where a distinct n-gram first occurs,
  // and a match is confirmed id by id, so the count is exact whatever the hashes do.
  let cap = 16;
  while (cap < total * 2) cap *= 2;
  const mask = cap - 1;
  if (scratch.grams.length < cap) scratch.grams = new Int32Array(cap);
  const table = scratch.grams.subarray(0, cap);
  table.fill(-1);
  let repeats = 0;
  for (let i = 0; i < total; i++) {
    let h = 0x9747b28c;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ (ids[i + k] as number), 0x5bd1e995) ^ (h >>> 15);
    let slot = (h ^ (h >>> 13)) & mask;
    for (;;) {
      const at = table[slot] as number;
      if (at < 0) {
        table[slot] = i;
        break;
      }
      let same = true;
      for (let k = 0; k < n && same; k++) same = ids[at + k] === ids[i + k];
      if (same) {
        repeats++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return repeats / total;
}

