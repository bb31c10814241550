/**
 * What near-dup detection remembers of each kept segment, in as few bytes as it can, because at
 * the scale of a 2 GB file (two million segments) this is most of an ingest's memory:
 * - its MinHash signature, in fixed-size chunks: nothing is copied when more are stored, and no
 *   single huge buffer has to be found;
 * - for each LSH band, an open-addressing table of segment ids under the band's key. The tables
 *   hold no keys: each entry is one 4-byte number, the segment id and five bits of its key, and
 *   only when those bits match is the candidate's key computed again from its stored signature
 *   (four mixes). Each band's table is split in 16 by the key's top bits, and the parts grow one
 *   at a time, so growing never holds two copies of the whole index.
 * With 16 bands × 4 rows that is about 510 bytes per kept segment (measured over 300,000), where
 * the linked-list multimap and single growing buffer this replaced took about 1,130, and a Map
 * of arrays several kilobytes.
 */

/** MurmurHash3's 32-bit finaliser. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The LSH key of one band of the signature that starts at `offset` in `sigs`. */
export function bandKey(sigs: Uint32Array, offset: number, band: number, rows: number): number {
  let h = band * 0x9e3779b1;
  for (let r = 0; r < rows; r++) h = fmix32(h ^ (sigs[offset + band * rows + r] as number));
  return h;
}

const CHUNK_BITS = 13;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
/** Parts per band: the key's top four bits pick one. */
const PART_SHIFT = 28;
const PARTS = 1 << (32 - PART_SHIFT);
const MIN_SLOTS = 64;
/** Ids take the low 26 bits of an entry; bits 26–30 hold key bits 23–27 (above any slot index, below the part). */
const ID_BITS = 26;
const ID_MASK = (1 << ID_BITS) - 1;
export const MAX_SIGNATURES = ID_MASK;
const tag = (key: number) => ((key >>> 23) & 31) << ID_BITS;

export class LshIndex {
  readonly #bands: number;
  readonly #rows: number;
  readonly #size: number;
  readonly #chunks: Uint32Array[] = [];
  #count = 0;
  /** Band `b`, part `p` is table `b * PARTS + p`; -1 marks an empty slot. */
  readonly #tables: Int32Array[];
  readonly #used: Int32Array;

  constructor(bands: number, rows: number) {
    this.#bands = bands;
    this.#rows = rows;
    this.#size = bands * rows;
    this.#tables = Array.from({ length: bands * PARTS }, () => new Int32Array(MIN_SLOTS).fill(-1));
    this.#used = new Int32Array(bands * PARTS);
  }

  /** Signatures stored; ids run from 0 to `size - 1` in the order they were added. */
  get size(): number {
    return this.#count;
  }

  /** The chunk that holds signature `id`; it starts at `offset(id)` there. */
  chunk(id: number): Uint32Array {
    return this.#chunks[id >>> CHUNK_BITS] as Uint32Array;
  }

  offset(id: number): number {
    return (id & CHUNK_MASK) * this.#size;
  }

  /**
   * Calls `visit` with each stored id whose key in `band` is `key`, in no particular order, and
   * stops at the first for which it returns true; returns whether one did.
   */
  some(band: number, key: number, visit: (id: number) => boolean): boolean {
    const table = this.#tables[band * PARTS + (key >>> PART_SHIFT)] as Int32Array;
    const mask = table.length - 1;
    const t = tag(key);
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot] as number;
      if (entry < 0) return false;
      if ((entry & ~ID_MASK) !== t) continue;
      const id = entry & ID_MASK;
      if (bandKey(this.chunk(id), this.offset(id), band, this.#rows) === key && visit(id)) return true;
    }
  }

  /** Stores a signature and files it under each of its band keys; returns its id. */
  add(sig: Uint32Array): number {
    if (sig.length !== this.#size) throw new RangeError(`a MinHash signature here has ${this.#size} values, got ${sig.length}`);
    if (this.#count >= MAX_SIGNATURES) throw new RangeError(`near-duplicate detection holds at most ${MAX_SIGNATURES.toLocaleString('en-US')} segments; turn it off for a corpus this large`);
    const id = this.#count++;
    if ((id & CHUNK_MASK) === 0) this.#chunks.push(new Uint32Array(this.#size << CHUNK_BITS));
    this.chunk(id).set(sig, this.offset(id));
    for (let band = 0; band < this.#bands; band++) this.#insert(band, bandKey(sig, 0, band, this.#rows), id);
    return id;
  }

  #insert(band: number, key: number, id: number): void {
    const t = band * PARTS + (key >>> PART_SHIFT);
    let table = this.#tables[t] as Int32Array;
    if (((this.#used[t] as number) + 1) * 2 > table.length) table = this.#grow(t, band);
    place(table, key, id);
    this.#used[t] = (this.#used[t] as number) + 1;
  }

  /** Doubles one part's table, filing its ids again under keys computed from their signatures. */
  #grow(t: number, band: number): Int32Array {
    const old = this.#tables[t] as Int32Array;
    const table = new Int32Array(old.length * 2).fill(-1);
    for (const entry of old) {
      if (entry < 0) continue;
      const id = entry & ID_MASK;
      place(table, bandKey(this.chunk(id), this.offset(id), band, this.#rows), id);
    }
    this.#tables[t] = table;
    return table;
  }
}

/** Puts `id` (tagged with bits of its key) in the first empty slot from `key`'s home slot. */
function place(table: Int32Array, key: number, id: number): void {
  const mask = table.length - 1;
  let slot = key & mask;
  while ((table[slot] as number) >= 0) slot = (slot + 1) & mask;
  table[slot] = tag(key) | id;
}
