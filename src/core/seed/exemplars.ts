/**
 * Few-shot examples: k seed pairs shown, reversed, to an instruct model standing in for the
 * backward model (and as examples when rating). Good examples are of a readable length and
 * unlike each other, so the model sees the range of requests rather than five variations of one.
 * Selection is greedy max-min over Jaccard distance between word sets: start from a seeded random
 * pair (or the user's pinned ones), then repeatedly add the pair farthest from all chosen so far.
 * Everything is a pure function of (pairs, options, pinned, excluded), so the same seed always
 * gives the same examples, and pin/swap are just different arguments.
 */

import { seededRandom } from '../random.ts';

export interface ExemplarPair {
  id: string;
  instruction: string;
  response: string;
}

export interface ExemplarOptions {
  k: number;
  seed: number;
  /** Inclusive character bounds on the instruction; default [10, 400]. */
  instructionChars?: readonly [number, number];
  /** Inclusive character bounds on the response; default [80, 1500]. */
  responseChars?: readonly [number, number];
  /** Pairs considered, drawn by the seeded shuffle after the length bounds (keeps large seed sets quick); default 2000. */
  pool?: number;
}

export const DEFAULT_INSTRUCTION_CHARS = [10, 400] as const;
export const DEFAULT_RESPONSE_CHARS = [80, 1500] as const;
export const DEFAULT_POOL = 2000;

export { seededRandom };

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** Lower-cased words (letters and digits) of a pair, as a set. */
export function wordSet(pair: { instruction: string; response: string }): Set<string> {
  return new Set(`${pair.instruction} ${pair.response}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** 1 − |A ∩ B| / |A ∪ B|; two empty sets are identical (0). */
export function jaccardDistance(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared += 1;
  return 1 - shared / (a.size + b.size - shared);
}

const within = (n: number, [lo, hi]: readonly [number, number]) => n >= lo && n <= hi;

/** Eligible pairs in seeded random order: in bounds, not chosen, not excluded. */
function candidates(pairs: readonly ExemplarPair[], o: ExemplarOptions, taken: ReadonlySet<string>): ExemplarPair[] {
  const iBounds = o.instructionChars ?? DEFAULT_INSTRUCTION_CHARS;
  const rBounds = o.responseChars ?? DEFAULT_RESPONSE_CHARS;
  const eligible = pairs.filter((p) => !taken.has(p.id) && within(p.instruction.length, iBounds) && within(p.response.length, rBounds));
  return shuffled(eligible, seededRandom(o.seed)).slice(0, o.pool ?? DEFAULT_POOL);
}

/** Adds up to `count` pairs to `start`, each the farthest (max of min distance) from those chosen. */
function greedyMaxMin(pool: ExemplarPair[], start: readonly ExemplarPair[], count: number): ExemplarPair[] {
  const picked: ExemplarPair[] = [];
  const words = pool.map(wordSet);
  const minDist = pool.map(() => Infinity);
  const used = pool.map(() => false);
  const absorb = (p: ExemplarPair) => {
    const w = wordSet(p);
    words.forEach((cw, i) => {
      minDist[i] = Math.min(minDist[i] ?? Infinity, jaccardDistance(cw, w));
    });
  };
  start.forEach(absorb);
  while (picked.length < count) {
    let best = -1;
    for (let i = 0; i < pool.length; i += 1) {
      if (used[i]) continue;
      // Ties (and the very first pick, when nothing is chosen yet) go to the earlier pair in the seeded order.
      if (best === -1 || (minDist[i] ?? 0) > (minDist[best] ?? 0)) best = i;
    }
    const chosen = pool[best];
    if (best === -1 || !chosen) break;
    used[best] = true;
    picked.push(chosen);
    absorb(chosen);
  }
  return picked;
}

/**
 * The ids of k examples: the pinned ones first (kept even when out of bounds, in the given
 * order), then the most diverse others. `excluded` ids are never picked (e.g. ones the user
 * swapped away). Fewer than k come back when too few pairs qualify.
 */
export function pickExemplars(
  pairs: readonly ExemplarPair[],
  options: ExemplarOptions,
  pinned: readonly string[] = [],
  excluded: readonly string[] = [],
): string[] {
  const byId = new Map(pairs.map((p) => [p.id, p] as const));
  const start = [...new Set(pinned)].map((id) => byId.get(id)).filter((p): p is ExemplarPair => p !== undefined);
  const taken = new Set([...start.map((p) => p.id), ...excluded]);
  const added = greedyMaxMin(candidates(pairs, options, taken), start, Math.max(0, options.k - start.length));
  return [...start, ...added].map((p) => p.id);
}

/**
 * `chosen` with `out` replaced, in place, by the most diverse pair not yet shown: not in
 * `chosen`, not `out`, not in `excluded`. If nothing qualifies, `out` is simply removed.
 */
export function swapExemplar(
  pairs: readonly ExemplarPair[],
  chosen: readonly string[],
  out: string,
  options: ExemplarOptions,
  excluded: readonly string[] = [],
): string[] {
  const byId = new Map(pairs.map((p) => [p.id, p] as const));
  const keep = chosen.filter((id) => id !== out);
  const start = keep.map((id) => byId.get(id)).filter((p): p is ExemplarPair => p !== undefined);
  const taken = new Set([...chosen, out, ...excluded]);
  const [replacement] = greedyMaxMin(candidates(pairs, options, taken), start, 1);
  if (!replacement) return keep;
  return chosen.map((id) => (id === out ? replacement.id : id));
}

/** The pairs for a list of ids, in that order (ids no longer present are skipped). */
export function exemplarsByIds<T extends ExemplarPair>(pairs: readonly T[], ids: readonly string[]): T[] {
  const byId = new Map(pairs.map((p) => [p.id, p] as const));
  return ids.map((id) => byId.get(id)).filter((p): p is T => p !== undefined);
}
