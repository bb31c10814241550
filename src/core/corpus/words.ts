/**
 * The words of a segment, found once. Exact dedup, MinHash and the repetition filter all look at
 * a segment as a list of words (runs of letters and digits, lower-cased); doing that with three
 * Unicode regexes and three splits per segment made them most of the ingest time. This scans
 * the text in one char-code pass, giving each word's position and hash, and the hash of the
 * words joined by single spaces — exactly `hash64(normaliseForHash(text))` without building that
 * string. Results are identical to the regex definitions they replaced (`normaliseForHash` in
 * normalise.ts; the old `repetitionRatio`, kept as the reference in test/unit/corpus/fast-paths.test.ts).
 */

/** Per UTF-16 code unit: 0 = not asked yet, 1 = letter or digit, 2 = anything else. */
const CLASS = new Uint8Array(0x10000);
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
for (let c = 0; c < 128; c++) CLASS[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;
const ASTRAL = new Map<number, boolean>();

function isWordUnit(c: number): boolean {
  let k = CLASS[c] as number;
  if (k === 0) {
    // A lone surrogate is a code point that is neither letter nor digit, as the `u` regexes see it.
    k = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    CLASS[c] = k;
  }
  return k === 1;
}

function isWordAstral(cp: number): boolean {
  let k = ASTRAL.get(cp);
  if (k === undefined) {
    k = WORD_CHAR.test(String.fromCodePoint(cp));
    ASTRAL.set(cp, k);
  }
  return k;
}

/** Words of one string: positions into `source`, and each word's 32-bit FNV-1a hash over its code units. */
export class WordList {
  source = '';
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  hashes = new Uint32Array(64);
  /** The two lanes of `hash64` over the words joined by single spaces. */
  h1 = 0;
  h2 = 0;

  word(i: number): string {
    return this.source.slice(this.starts[i], this.ends[i]);
  }

  #allocate(n: number): void {
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.hashes = new Uint32Array(n);
  }

  #grow(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const hashes = new Uint32Array(n);
    starts.set(this.starts);
    ends.set(this.ends);
    hashes.set(this.hashes);
    this.starts = starts;
    this.ends = ends;
    this.hashes = hashes;
  }

  /**
   * Fills the list with the maximal runs of letters/digits (by code point) in `source`, which the
   * caller has already lower-cased (and NFKC-normalised, for hashing). Seeds the hash64 lanes.
   */
  scan(source: string, seed = 0): this {
    this.source = source;
    // About one word per five characters, so most segments never grow the buffers.
    if (this.starts.length < source.length >> 2) this.#allocate((source.length >> 2) + 16);
    let count = 0;
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    let fnv = 0;
    let start = -1;
    const len = source.length;
    for (let i = 0; i < len; i++) {
      const c = source.charCodeAt(i);
      let width = 1;
      let word: boolean;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
        const d = source.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          width = 2;
          word = isWordAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        } else word = isWordUnit(c);
      } else word = c < 128 ? CLASS[c] === 1 : isWordUnit(c);
      if (word) {
        if (start < 0) {
          if (count === this.starts.length) this.#grow();
          start = i;
          fnv = 0x811c9dc5;
          if (count > 0) {
            h1 = Math.imul(h1 ^ 32, 2654435761);
            h2 = Math.imul(h2 ^ 32, 1597334677);
          }
        }
        for (let k = 0; k < width; k++) {
          const u = source.charCodeAt(i + k);
          fnv = Math.imul(fnv ^ u, 16777619);
          h1 = Math.imul(h1 ^ u, 2654435761);
          h2 = Math.imul(h2 ^ u, 1597334677);
        }
      } else if (start >= 0) {
        this.#close(count++, start, i, fnv);
        start = -1;
      }
      i += width - 1;
    }
    if (start >= 0) this.#close(count++, start, len, fnv);
    this.count = count;
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  #close(at: number, start: number, end: number, fnv: number): void {
    this.starts[at] = start;
    this.ends[at] = end;
    this.hashes[at] = fnv >>> 0;
  }

  /** `hash64` of the words joined by single spaces, as 16 hex digits. */
  hash(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }

  /**
   * Numbers the words so equal words get equal ids (first occurrence order), with an
   * open-addressing table keyed by the word hash and confirmed on the characters.
   * Returns the number of distinct words; `ids` receives one id per word.
   */
  ids(ids: Int32Array): number {
    const n = this.count;
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    const table = new Int32Array(cap).fill(-1);
    const firstOf: number[] = [];
    const { source, starts, ends, hashes } = this;
    for (let w = 0; w < n; w++) {
      const h = hashes[w] as number;
      const s = starts[w] as number;
      const len = (ends[w] as number) - s;
      let slot = h & (cap - 1);
      for (;;) {
        const id = table[slot] as number;
        if (id < 0) {
          table[slot] = firstOf.length;
          ids[w] = firstOf.length;
          firstOf.push(w);
          break;
        }
        const o = firstOf[id] as number;
        const os = starts[o] as number;
        if (hashes[o] === h && (ends[o] as number) - os === len && sameChars(source, os, s, len)) {
          ids[w] = id;
          break;
        }
        slot = (slot + 1) & (cap - 1);
      }
    }
    return firstOf.length;
  }
}

function sameChars(s: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
  return true;
}

/** Share of word n-gram occurrences that repeat an n-gram seen earlier: `repetitionRatio` over a scanned list. */
export function repetitionOfWords(words: WordList, n: number): number {
  const total = words.count - n + 1;
  if (total <= 1) return 0;
  const ids = new Int32Array(words.count);
  words.ids(ids);
  // An open-addressing set of n-grams: each slot holds where a distinct n-gram first occurs,
  // and a match is confirmed id by id, so the count is exact whatever the hashes do.
  let cap = 16;
  while (cap < total * 2) cap *= 2;
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
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

/**
 * One segment's text as the filters and dedup see it, computed on first use: the words of its
 * lower-cased form (repetition) and of its NFKC lower-cased form (hashing, MinHash) — the same
 * list when normalising changes nothing, which is nearly always.
 */
export class SegmentWords {
  readonly text: string;
  #lower: WordList | null = null;
  #hashed: WordList | null = null;

  constructor(text: string) {
    this.text = text;
  }

  /** Words of `text.toLowerCase()`. */
  lower(): WordList {
    if (!this.#lower) this.#scan();
    return this.#lower as WordList;
  }

  /** Words of `text.normalize('NFKC').toLowerCase()`, with the hash lanes of their joined form. */
  hashed(): WordList {
    if (!this.#hashed) this.#scan();
    return this.#hashed as WordList;
  }

  #scan(): void {
    const lower = this.text.toLowerCase();
    const nfkc = this.text.normalize('NFKC');
    this.#lower = new WordList().scan(lower);
    this.#hashed = nfkc === this.text ? this.#lower : new WordList().scan(nfkc.toLowerCase());
  }
}
