/**
 * The LSH bucket index of near-dup detection: which segments fell into each 32-bit band key.
 * At the paper's scale (500,000 segments × 16 bands) a Map of arrays costs eight million small
 * objects; this keeps the same multimap in typed arrays — an open-addressing table from key to
 * its newest entry, and a linked list of entries — so memory grows by a few bytes per entry.
 */
export class LshBuckets {
  #keys = new Uint32Array(1024);
  /** Newest entry per slot; -1 marks an empty slot. */
  #heads = new Int32Array(1024).fill(-1);
  #slotsUsed = 0;
  #ids = new Int32Array(1024);
  #next = new Int32Array(1024);
  #entries = 0;

  /** Files `id` under `key`. */
  add(key: number, id: number): void {
    key >>>= 0;
    if ((this.#slotsUsed + 1) * 2 > this.#keys.length) this.#rehash(this.#keys.length * 2);
    if (this.#entries === this.#ids.length) {
      this.#ids = grow(this.#ids);
      this.#next = grow(this.#next);
    }
    const slot = this.#slot(key);
    const e = this.#entries++;
    this.#ids[e] = id;
    const head = this.#heads[slot] as number;
    if (head < 0) {
      this.#keys[slot] = key;
      this.#slotsUsed++;
    }
    this.#next[e] = head;
    this.#heads[slot] = e;
  }

  /** The newest entry under `key`, or -1; walk on with `next`, read with `id`. */
  first(key: number): number {
    return this.#heads[this.#slot(key >>> 0)] as number;
  }

  next(entry: number): number {
    return this.#next[entry] as number;
  }

  id(entry: number): number {
    return this.#ids[entry] as number;
  }

  /** Ids under `key`, newest first. */
  ids(key: number): number[] {
    const out: number[] = [];
    for (let e = this.first(key); e >= 0; e = this.next(e)) out.push(this.id(e));
    return out;
  }

  get entries(): number {
    return this.#entries;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  #slot(key: number): number {
    const mask = this.#keys.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    while ((this.#heads[slot] as number) >= 0 && this.#keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  #rehash(size: number): void {
    const keys = this.#keys;
    const heads = this.#heads;
    this.#keys = new Uint32Array(size);
    this.#heads = new Int32Array(size).fill(-1);
    for (let s = 0; s < keys.length; s++) {
      const head = heads[s] as number;
      if (head < 0) continue;
      const slot = this.#slot(keys[s] as number);
      this.#keys[slot] = keys[s] as number;
      this.#heads[slot] = head;
    }
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
