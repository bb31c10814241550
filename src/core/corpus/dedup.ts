/**
 * Deduplication across the whole corpus, in two steps. Exact: a 64-bit hash of the normalised
 * text (case, punctuation and spacing ignored), so the same page saved twice counts once.
 * Near: MinHash signatures over word shingles with LSH banding to find candidates, each
 * candidate confirmed by its estimated Jaccard similarity against the threshold (0.8 by
 * default). Hash functions are derived from a seed, so the same corpus and seed always keep the
 * same segments. The first occurrence wins, in ingest order.
 */
import { LshIndex, bandKey, fmix32 } from './buckets.ts';
import { DEFAULT_NEAR_DUP, type NearDupSettings } from './settings.ts';
import { SegmentWords, type WordList } from './words.ts';

/** 64-bit non-cryptographic hash (two 32-bit multiply-xorshift lanes) as 16 hex digits. */
export function hash64(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** The exact-dedup key of a segment's text: `hash64(normaliseForHash(text))`, from one scan of its words. */
export const segmentHash = (text: string | SegmentWords): string => (typeof text === 'string' ? new SegmentWords(text) : text).hashed().hash();

/** A `hash64` value: 16 lower-case hex digits. */
const HASH64 = /^[0-9a-f]{16}$/;

/**
 * The hashes of kept segments. A `Set` of 16-character strings costs about 115 bytes a hash;
 * this open-addressing table of the two 32-bit halves costs 16 to 32, which matters at two
 * million segments. A hash in another shape (none is made now) goes to a plain Set.
 */
export class ExactDedup {
  /** Slot i is words 2i (high half) and 2i + 1 (low half); 0, 0 is empty (see #zero). */
  #slots = new Int32Array(2 * 1024);
  #count = 0;
  /** Whether the hash 0000000000000000 was added (its halves look like an empty slot). */
  #zero = false;
  readonly #odd = new Set<string>();

  /** True the first time a hash is offered, false for every repeat. */
  add(hash: string): boolean {
    if (!HASH64.test(hash)) {
      if (this.#odd.has(hash)) return false;
      this.#odd.add(hash);
      return true;
    }
    const hi = parseInt(hash.slice(0, 8), 16) | 0;
    const lo = parseInt(hash.slice(8), 16) | 0;
    if (hi === 0 && lo === 0) {
      if (this.#zero) return false;
      this.#zero = true;
      return true;
    }
    if ((this.#count + 1) * 2 > this.#slots.length / 2) this.#grow();
    const slots = this.#slots;
    const i = slotOf(slots, hi, lo);
    if (slots[2 * i] === hi && slots[2 * i + 1] === lo) return false;
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    this.#count++;
    return true;
  }

  get size(): number {
    return this.#count + (this.#zero ? 1 : 0) + this.#odd.size;
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Int32Array(old.length * 2);
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j] as number;
      const lo = old[j + 1] as number;
      if (hi === 0 && lo === 0) continue;
      const i = slotOf(slots, hi, lo);
      slots[2 * i] = hi;
      slots[2 * i + 1] = lo;
    }
    this.#slots = slots;
  }
}

/** The slot of `ExactDedup`'s table that holds hi, lo, or the empty slot where it would go. */
function slotOf(slots: Int32Array, hi: number, lo: number): number {
  const mask = slots.length / 2 - 1;
  let i = fmix32(lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  for (;;) {
    const h = slots[2 * i] as number;
    const l = slots[2 * i + 1] as number;
    if ((h === 0 && l === 0) || (h === hi && l === lo)) return i;
    i = (i + 1) & mask;
  }
}

export { DEFAULT_NEAR_DUP, type NearDupSettings };

import { seededRandom } from '../random.ts';

export { seededRandom };


export class MinHasher {
  readonly #a: Uint32Array;
  readonly #b: Uint32Array;
  readonly #shingle: number;
  /** Shingle hashes of the text being signed, reused between texts. */
  #xs = new Int32Array(1024);

  constructor(size: number, seed: number, shingle: number) {
    const rand = seededRandom(seed);
    this.#a = new Uint32Array(size);
    this.#b = new Uint32Array(size);
    // Odd multipliers make x ↦ a·x + b a permutation of 32-bit integers.
    for (let i = 0; i < size; i++) {
      this.#a[i] = (Math.floor(rand() * 0x100000000) | 1) >>> 0;
      this.#b[i] = Math.floor(rand() * 0x100000000) >>> 0;
    }
    this.#shingle = shingle;
  }

  /** MinHash of the text's word shingles (words as `normaliseForHash` leaves them). */
  signature(text: string | SegmentWords): Uint32Array {
    return this.signatureOf((typeof text === 'string' ? new SegmentWords(text) : text).hashed());
  }

  signatureOf(words: WordList): Uint32Array {
    const hashes = words.hashes;
    const count = words.count;
    // The same bits as the Uint32 parameters, read as int32 so the inner loop stays in small
    // integers; minima are kept with the sign bit flipped, where signed order is unsigned order.
    const a = new Int32Array(this.#a.buffer, this.#a.byteOffset, this.#a.length);
    const b = new Int32Array(this.#b.buffer, this.#b.byteOffset, this.#b.length);
    const size = a.length;
    const n = Math.min(this.#shingle, Math.max(1, count));
    const last = Math.max(n, count);
    const shingles = last - n + 1;
    // Every shingle's hash first, then one tight pass per permutation over them: the minimum
    // and the permutation's constants stay in registers, which is several times quicker than
    // updating all the minima for each shingle in turn (the same minima either way).
    if (this.#xs.length < shingles) this.#xs = new Int32Array(shingles + 256);
    const xs = this.#xs;
    for (let i = 0; i < shingles; i++) {
      let h = 0x9747b28c;
      // A text with no words hashes one empty shingle (word hash 0), as it always has.
      for (let k = 0; k < n; k++) h = fmix32(h ^ (i + k < count ? (hashes[i + k] as number) : 0)) + k;
      xs[i] = fmix32(h) | 0;
    }
    const sig = new Uint32Array(size);
    // Four permutations per pass: each shingle hash is loaded once for all four, and the four
    // minima stay in registers (measured: a third quicker than one permutation per pass).
    let p = 0;
    for (; p + 3 < size; p += 4) {
      const [a0, a1, a2, a3] = [a[p] as number, a[p + 1] as number, a[p + 2] as number, a[p + 3] as number];
      const [b0, b1, b2, b3] = [b[p] as number, b[p + 1] as number, b[p + 2] as number, b[p + 3] as number];
      let m0 = 0x7fffffff;
      let m1 = 0x7fffffff;
      let m2 = 0x7fffffff;
      let m3 = 0x7fffffff;
      for (let i = 0; i < shingles; i++) {
        const x = xs[i] as number;
        const v0 = ((Math.imul(a0, x) + b0) | 0) ^ 0x80000000;
        const v1 = ((Math.imul(a1, x) + b1) | 0) ^ 0x80000000;
        const v2 = ((Math.imul(a2, x) + b2) | 0) ^ 0x80000000;
        const v3 = ((Math.imul(a3, x) + b3) | 0) ^ 0x80000000;
        if (v0 < m0) m0 = v0;
        if (v1 < m1) m1 = v1;
        if (v2 < m2) m2 = v2;
        if (v3 < m3) m3 = v3;
      }
      sig[p] = (m0 ^ 0x80000000) >>> 0;
      sig[p + 1] = (m1 ^ 0x80000000) >>> 0;
      sig[p + 2] = (m2 ^ 0x80000000) >>> 0;
      sig[p + 3] = (m3 ^ 0x80000000) >>> 0;
    }
    for (; p < size; p++) {
      const ap = a[p] as number;
      const bp = b[p] as number;
      let min = 0x7fffffff;
      for (let i = 0; i < shingles; i++) {
        const v = ((Math.imul(ap, xs[i] as number) + bp) | 0) ^ 0x80000000;
        if (v < min) min = v;
      }
      sig[p] = (min ^ 0x80000000) >>> 0;
    }
    return sig;
  }
}

/** Share of signature positions two signatures agree on: an estimate of the sets' Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array, bOffset = 0): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[bOffset + i]) same++;
  return same / a.length;
}

export class NearDedup {
  readonly #s: NearDupSettings;
  readonly #hasher: MinHasher;
  readonly #size: number;
  /** Every kept signature, and the LSH band tables that find candidates among them. */
  readonly #index: LshIndex;
  /** Per stored segment, the last `add` that compared against it, so each is compared once. */
  #checkedIn = new Int32Array(1024);
  #round = 0;

  constructor(settings: NearDupSettings = DEFAULT_NEAR_DUP) {
    if (settings.threshold <= 0 || settings.threshold > 1) throw new RangeError(`near-duplicate threshold must be in (0, 1], got ${settings.threshold}`);
    this.#s = settings;
    this.#size = settings.bands * settings.rows;
    this.#hasher = new MinHasher(this.#size, settings.seed, settings.shingle);
    this.#index = new LshIndex(settings.bands, settings.rows);
  }

  /** Adds the text unless it is a near-duplicate of one already added; returns whether it was added. */
  add(text: string | SegmentWords): boolean {
    return this.addSignature(this.#hasher.signature(text));
  }

  /** `add` for a signature made elsewhere (another thread) by a `MinHasher` with these settings. */
  addSignature(sig: Uint32Array): boolean {
    if (sig.length !== this.#size) throw new RangeError(`a MinHash signature here has ${this.#size} values, got ${sig.length}`);
    const { bands, rows, threshold } = this.#s;
    const round = ++this.#round;
    const index = this.#index;
    const checkedIn = this.#checkedIn;
    const similar = (other: number): boolean => {
      if (checkedIn[other] === round) return false;
      checkedIn[other] = round;
      return estimateJaccard(sig, index.chunk(other), index.offset(other)) >= threshold;
    };
    for (let band = 0; band < bands; band++) if (index.some(band, bandKey(sig, 0, band, rows), similar)) return false;
    const id = index.add(sig);
    if (id >= this.#checkedIn.length) {
      const grown = new Int32Array(this.#checkedIn.length * 2);
      grown.set(this.#checkedIn);
      this.#checkedIn = grown;
    }
    return true;
  }

  get size(): number {
    return this.#index.size;
  }
}
