/** The repetition filter's measure over a scanned word list. */
import type { WordList } from './words.ts';

/**
 * The n-gram table, kept between calls: it is filled for one segment at a time, and allocating
 * (and zeroing) a fresh one per segment was a measurable part of ingest.
 */
let grams = new Int32Array(1024);

/**
 * Share of word n-gram occurrences that repeat an n-gram seen earlier: `repetitionRatio` over a
 * scanned list. N-grams are hashed from the words' own hashes and a match is confirmed word by
 * word (hash, length, characters), so the count is exact whatever the hashes do — and the words
 * need no numbering pass first, which took as long as the n-gram pass itself.
 */
export function repetitionOfWords(words: WordList, n: number): number {
  const total = words.count - n + 1;
  if (total <= 1) return 0;
  const { source, starts, ends } = words;
  // The same bits as the Uint32 word hashes, read as int32 so the arithmetic stays in small integers.
  const hashes = new Int32Array(words.hashes.buffer, 0, words.count);
  // An open-addressing set of n-grams: each slot holds where a distinct n-gram first occurs.
  let cap = 16;
  while (cap < total * 2) cap *= 2;
  const mask = cap - 1;
  if (grams.length < cap) grams = new Int32Array(cap);
  const table = grams.subarray(0, cap);
  table.fill(-1);
  let repeats = 0;
  for (let i = 0; i < total; i++) {
    let h = 0x9747b28c;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ (hashes[i + k] as number), 0x5bd1e995) ^ (h >>> 15);
    let slot = (h ^ (h >>> 13)) & mask;
    for (;;) {
      const at = table[slot] as number;
      if (at < 0) {
        table[slot] = i;
        break;
      }
      if (sameWords(source, starts, ends, hashes, at, i, n)) {
        repeats++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return repeats / total;
}

/** Whether the `n` words from word `a` are the same strings as the `n` words from word `b`. */
function sameWords(source: string, starts: Int32Array, ends: Int32Array, hashes: Int32Array, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) {
    if (hashes[a + k] !== hashes[b + k]) return false;
    const sa = starts[a + k] as number;
    const sb = starts[b + k] as number;
    const len = (ends[a + k] as number) - sa;
    if ((ends[b + k] as number) - sb !== len) return false;
    for (let j = 0; j < len; j++) if (source.charCodeAt(sa + j) !== source.charCodeAt(sb + j)) return false;
  }
  return true;
}
