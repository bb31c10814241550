/**
 * Bulk records are packed into chunks of `CHUNK_SIZE` consecutive `seq` numbers, one IndexedDB
 * value per chunk: 500,000 segments become 500 values instead of 500,000 keys (one put per key
 * costs ~65 µs in Chromium, so separate keys alone would take half a minute).
 * Pure functions shared by every store adapter.
 */
import type { SeqRecord } from './records.ts';

export const CHUNK_SIZE = 1000;

export const chunkOf = (seq: number, size = CHUNK_SIZE): number => Math.floor(seq / size);

/** Groups records by chunk number, each group sorted by seq; later duplicates win. */
export function groupByChunk<T extends SeqRecord>(records: readonly T[], size = CHUNK_SIZE): Map<number, T[]> {
  const groups = new Map<number, Map<number, T>>();
  for (const r of records) {
    if (!Number.isInteger(r.seq) || r.seq < 0) throw new RangeError(`seq must be a non-negative integer, got ${r.seq}`);
    const c = chunkOf(r.seq, size);
    let g = groups.get(c);
    if (!g) groups.set(c, (g = new Map()));
    g.set(r.seq, r);
  }
  const out = new Map<number, T[]>();
  for (const [c, g] of groups) out.set(c, [...g.values()].sort((a, b) => a.seq - b.seq));
  return out;
}

/** Merges `incoming` into a sorted chunk (replacing equal seqs). Returns the merged list and how many were new. */
export function mergeChunk<T extends SeqRecord>(existing: readonly T[], incoming: readonly T[]): { records: T[]; added: number } {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  let added = 0;
  while (i < existing.length || j < incoming.length) {
    const a = existing[i];
    const b = incoming[j];
    if (b === undefined || (a !== undefined && a.seq < b.seq)) {
      out.push(a as T);
      i++;
    } else if (a === undefined || b.seq < a.seq) {
      out.push(b);
      j++;
      added++;
    } else {
      out.push(b);
      i++;
      j++;
    }
  }
  return { records: out, added };
}

/** True when `records` (sorted, unique) fill chunk `c` completely, so no read of the old value is needed. */
export function fillsChunk(records: readonly SeqRecord[], c: number, size = CHUNK_SIZE): boolean {
  return records.length === size && records[0]?.seq === c * size && records[size - 1]?.seq === (c + 1) * size - 1;
}
