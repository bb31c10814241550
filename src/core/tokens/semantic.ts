/**
 * Meaning-level near-duplicates and diversity over sentence embeddings (unit vectors, so cosine
 * similarity is a dot product). Exact duplicates are the corpus dedup's job; these catch the same
 * answer in other words. Both steps are greedy and deterministic: the same vectors, threshold and
 * seed give the same choice, so a run can be repeated and explained.
 */
import { seededRandom } from '../corpus/dedup.ts';

/** Cosine similarity of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${a.length} vs ${b.length}`);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

/** What happened to one segment in the near-duplicate step, stored beside the segment. */
export type SemanticMark =
  | { seq: number; kept: true }
  | { seq: number; kept: false; nearDuplicateOf: number; similarity: number };

/**
 * Keeps a segment unless its similarity to an already kept one is at or above `threshold`.
 * Fed in batches (the worker embeds in batches), so a corpus never needs all vectors at once
 * beyond the kept ones.
 */
export class NearDuplicateFilter {
  #kept: { seq: number; vector: Float32Array }[] = [];
  constructor(readonly threshold: number) {
    if (!(threshold > -1 && threshold <= 1)) throw new RangeError(`cosine threshold must be in (-1, 1], got ${threshold}`);
  }

  offer(seq: number, vector: Float32Array): SemanticMark {
    let best = -Infinity;
    let bestSeq = -1;
    for (const k of this.#kept) {
      const s = cosine(vector, k.vector);
      if (s > best) {
        best = s;
        bestSeq = k.seq;
      }
    }
    if (bestSeq >= 0 && best >= this.threshold) return { seq, kept: false, nearDuplicateOf: bestSeq, similarity: best };
    this.#kept.push({ seq, vector });
    return { seq, kept: true };
  }

  get keptCount(): number {
    return this.#kept.length;
  }
}

export interface NearDuplicateResult {
  marks: SemanticMark[];
  kept: number;
  dropped: number;
}

export function dropNearDuplicates(items: readonly { seq: number; vector: Float32Array }[], threshold: number): NearDuplicateResult {
  const filter = new NearDuplicateFilter(threshold);
  const marks = items.map((i) => filter.offer(i.seq, i.vector));
  return { marks, kept: filter.keptCount, dropped: marks.length - filter.keptCount };
}

/**
 * "Most diverse N": farthest-point sampling. The first pick is seeded; each next pick is the
 * segment farthest (1 − cosine) from everything picked so far; ties go to the earlier segment.
 * Returns seqs in pick order.
 */
export function mostDiverse(items: readonly { seq: number; vector: Float32Array }[], n: number, seed: number): number[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`N must be a whole number ≥ 0, got ${n}`);
  const k = Math.min(n, items.length);
  if (k === 0) return [];
  const nearest = new Float64Array(items.length).fill(Infinity);
  const taken = new Uint8Array(items.length);
  const picks: number[] = [];
  let next = Math.floor(seededRandom(seed)() * items.length);
  while (picks.length < k) {
    const chosen = items[next] as { seq: number; vector: Float32Array };
    taken[next] = 1;
    picks.push(chosen.seq);
    let far = -1;
    let farDistance = -Infinity;
    items.forEach((item, i) => {
      if (taken[i]) return;
      const d = Math.min(nearest[i] as number, 1 - cosine(item.vector, chosen.vector));
      nearest[i] = d;
      if (d > farDistance) {
        farDistance = d;
        far = i;
      }
    });
    next = far;
  }
  return picks;
}
