/**
 * Reading the curated set's pairs from the store: the pairs for some segments (a page of the
 * review table), and every pair a stored chunk at a time (the export, the training data, the
 * review index, the funnel). Each chunk of segments is joined with its candidates, every rating
 * run's ratings, the failures and the human decisions by seq — one join for every reader.
 * Pure apart from the store port, so it runs in node against the memory store and in the
 * browser against IndexedDB unchanged.
 */
import { AbortedError } from '../errors.ts';
import type { Candidate, HumanDecision, ItemFailure, Rating, Rewrite, Segment } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { CuratedSet } from './curated-set.ts';
import { countPair, emptyFunnel, type Funnel } from './funnel.ts';
import { joinPairs, type CuratedPair } from './pair.ts';

/** Last failure per seq across the failure collections (later collections win). */
function mergeFailures(perRun: readonly (readonly (ItemFailure | undefined)[])[], n: number): (ItemFailure | undefined)[] {
  const out = new Array<ItemFailure | undefined>(n).fill(undefined);
  for (const run of perRun) run.forEach((f, i) => void (f && (out[i] = f)));
  return out;
}

/** The set's pairs for these segments, in their order. */
export async function pairsOf(store: ProjectStore, set: CuratedSet, segments: readonly Segment[]): Promise<CuratedPair[]> {
  const src = set.source;
  if (!src) return [];
  const seqs = segments.map((s) => s.seq);
  const [candidates, ratings, failures, decisions, rewrites] = await Promise.all([
    store.get<Candidate>(src.candidates, seqs),
    Promise.all(src.ratings.map((c) => store.get<Rating>(c, seqs))),
    Promise.all(src.failures.map((c) => store.get<ItemFailure>(c, seqs))),
    store.get<HumanDecision>(src.decisions, seqs),
    src.rewrites ? store.get<Rewrite>(src.rewrites, seqs) : Promise.resolve([]),
  ]);
  return joinPairs(segments, candidates, ratings, mergeFailures(failures, seqs.length), decisions, set, rewrites);
}

/** The pairs with these seqs (in that order; seqs with no segment are left out). */
export async function pairsBySeq(store: ProjectStore, set: CuratedSet, seqs: readonly number[]): Promise<CuratedPair[]> {
  const segments = (await store.get<Segment>('segments', seqs)).filter((s): s is Segment => s !== undefined);
  return pairsOf(store, set, segments);
}

/**
 * Calls `each` with every stored chunk's pairs, in seq order, with two chunks in flight: while
 * one chunk is handled, the next one's records are already being read. Memory stays at about two
 * chunks however many pairs the project holds. Nothing to walk when nothing was generated.
 */
export async function walkPairs(store: ProjectStore, set: CuratedSet, each: (pairs: CuratedPair[]) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!set.source) return;
  let pending: Promise<void> = Promise.resolve();
  await store.scan<Segment>('segments', async (segments) => {
    if (signal?.aborted) throw new AbortedError('Reading the pairs was stopped.');
    const previous = pending;
    pending = (async () => {
      const pairs = await pairsOf(store, set, segments);
      await previous;
      await each(pairs);
    })();
    // Observed here; a failure still surfaces through the awaits of `pending`.
    pending.catch(() => undefined);
    await previous;
  });
  await pending;
}

/** The Rate step's funnel for the set. */
export async function funnelOf(store: ProjectStore, set: CuratedSet, signal?: AbortSignal): Promise<Funnel> {
  const f = emptyFunnel();
  await walkPairs(store, set, (pairs) => {
    for (const p of pairs) countPair(f, p);
  }, signal);
  if (!set.source) f.segments = (await store.info('segments')).count;
  return f;
}

/** The pairs edited by hand since their rating (or never rated since), with no verdict: what "Rate the edited pairs" rates. */
export async function awaitingRatingSeqs(store: ProjectStore, set: CuratedSet, signal?: AbortSignal): Promise<number[]> {
  const out: number[] = [];
  await walkPairs(store, set, (pairs) => {
    for (const p of pairs) if (p.awaitingRating) out.push(p.seq);
  }, signal);
  return out;
}
