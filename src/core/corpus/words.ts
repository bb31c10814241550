/**
 * The words of a segment, found once. Exact dedup, MinHash and the repetition filter all look at
 * a segment as a list of words (runs of letters and digits, lower-cased); doing that with three
 * Unicode regexes and three splits per segment made them most of the ingest time. This scans
 * the text in one char-code pass, giving each word's position and hash, and the hash of the
 * words joined by single spaces — exactly `hash64(normaliseForHash(text))` without building that
 * string. Results are identical to the regex definitions they replaced (`normaliseForHash` in
 * normalise.ts; the old `repetitionRatio`, kept as the reference in test/unit/corpus/fast-paths.test.ts).
 */

import { ASCII_LETTER as LETTER_TABLE, ASCII_VISIBLE as VISIBLE_TABLE, unitKind as kindOfUnit } from './letters.ts';

// Module-local copies for the per-character loop: when tsx loads a module as CommonJS (a script
// outside this package), every use of an imported name calls two getters.
const ASCII_LETTER = LETTER_TABLE;
const ASCII_VISIBLE = VISIBLE_TABLE;
const unitKind = kindOfUnit;

export { repetitionOfWords } from './repetition.ts';

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
  /** Letters and visible characters of the scanned text, each code unit counted as `letterShare` does. */
  letters = 0;
  visible = 0;

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
    const len = source.length;
    // About one word per five characters, so most segments never grow the buffers.
    if (this.starts.length < (len >> 2) + 16) this.#allocate((len >> 2) + 16);
    let starts = this.starts;
    let ends = this.ends;
    let hashes = this.hashes;
    let count = 0;
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    let fnv = 0;
    let start = -1;
    let letters = 0;
    let visible = 0;
    for (let i = 0; i < len; i++) {
      const c = source.charCodeAt(i);
      let word: boolean;
      let d = -1;
      if (c < 128) {
        word = CLASS[c] === 1;
        letters += ASCII_LETTER[c] as number;
        visible += ASCII_VISIBLE[c] as number;
      } else {
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < len && (d = source.charCodeAt(i + 1)) >= 0xdc00 && d <= 0xdfff) {
          word = isWordAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
          const k = unitKind(d);
          if (k === 1) letters++;
          if (k !== 2) visible++;
        } else {
          d = -1;
          word = isWordUnit(c);
        }
        const k = unitKind(c);
        if (k === 1) letters++;
        if (k !== 2) visible++;
      }
      if (word) {
        if (start < 0) {
          if (count === starts.length) {
            this.#grow();
            ({ starts, ends, hashes } = this);
          }
          start = i;
          fnv = 0x811c9dc5;
          if (count > 0) {
            h1 = Math.imul(h1 ^ 32, 2654435761);
            h2 = Math.imul(h2 ^ 32, 1597334677);
          }
        }
        fnv = Math.imul(fnv ^ c, 16777619);
        h1 = Math.imul(h1 ^ c, 2654435761);
        h2 = Math.imul(h2 ^ c, 1597334677);
        if (d >= 0) {
          fnv = Math.imul(fnv ^ d, 16777619);
          h1 = Math.imul(h1 ^ d, 2654435761);
          h2 = Math.imul(h2 ^ d, 1597334677);
        }
      } else if (start >= 0) {
        starts[count] = start;
        ends[count] = i;
        hashes[count] = fnv;
        count++;
        start = -1;
      }
      if (d >= 0) i++;
    }
    if (start >= 0) {
      starts[count] = start;
      ends[count] = len;
      hashes[count] = fnv;
      count++;
    }
    this.count = count;
    this.h1 = h1;
    this.h2 = h2;
    this.letters = letters;
    this.visible = visible;
    return this;
  }

  /** `hash64` of the words joined by single spaces, as 16 hex digits. */
  hash(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }
}

/**
 * One segment's text as the filters and dedup see it, computed on first use: the words of its
 * lower-cased form (repetition) and of its NFKC lower-cased form (hashing, MinHash) — the same
 * list when normalising changes nothing, which is nearly always.
 */
export class SegmentWords {
  text: string;
  #lowerText: string | null = null;
  #scanned = false;
  #same = true;
  readonly #lower = new WordList();
  #hashed: WordList | null = null;

  constructor(text = '') {
    this.text = text;
  }

  /**
   * Points this at another segment's text, keeping the word buffers: the pipeline judges one
   * segment at a time with one of these, so its typed arrays are allocated once per ingest.
   */
  reset(text: string): this {
    this.text = text;
    this.#lowerText = null;
    this.#scanned = false;
    return this;
  }

  /**
   * `text.toLowerCase()`. Also a flat copy of the text: segment text is built by concatenation
   * and slicing, and reading such strings character by character is several times slower.
   */
  lowerText(): string {
    return (this.#lowerText ??= this.text.toLowerCase());
  }

  /** `letterShare(text.toLowerCase())`, counted by the word scan. */
  letterShare(): number {
    const l = this.lower();
    return l.visible === 0 ? 1 : l.letters / l.visible;
  }

  /** Words of `text.toLowerCase()`. */
  lower(): WordList {
    if (!this.#scanned) this.#scan();
    return this.#lower;
  }

  /** Words of `text.normalize('NFKC').toLowerCase()`, with the hash lanes of their joined form. */
  hashed(): WordList {
    if (!this.#scanned) this.#scan();
    return this.#same ? this.#lower : (this.#hashed as WordList);
  }

  #scan(): void {
    const lower = this.lowerText();
    this.#lower.scan(lower);
    const nfkc = this.text.normalize('NFKC');
    this.#same = nfkc === this.text;
    if (!this.#same) this.#hashed = (this.#hashed ?? new WordList()).scan(nfkc.toLowerCase());
    this.#scanned = true;
  }
}
