/**
 * mulberry32: a small seeded generator in [0, 1), integer-only so node and every browser give
 * the same stream for a seed. Everything "random" the user can reproduce (samples, dedup hash
 * parameters, few-shot picks, the tiny test model's weights) draws from it.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
