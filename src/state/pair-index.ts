/**
 * A compact in-memory summary of every pair, so the review table can filter, sort and chart
 * 500,000 rows without holding their texts: one typed array per column (seq, score, expected
 * score, round, status, source, lengths, flags, each rating run's score) — about 40 bytes a
 * row, 20 MB for 500,000, where the texts would be close to a gigabyte. It is filled by reading
 * the stored chunks once; the texts of the rows on screen are read page by page (`loadPairs`).
 *
 * Filtering reuses core's `compileQuery` on one reused row object, so the table, the export and
 * the tests agree on what a filter means; full-text search is a separate scan (`searchMask`),
 * since the texts are not kept.
 */
import { joinPairs, PAIR_STATUSES, type CuratedPair, type PairStatus } from '../core/export/pairs.ts';
import { AbortedError } from '../core/errors.ts';
import type { Candidate, ItemFailure, Rating, Segment } from '../core/records.ts';
import { compileQuery, type PairQuery, type PairRow, type PairSort } from '../core/review/query.ts';
import type { ProjectStore } from '../ports/store.ts';
import type { ReviewSource } from './pair-source.ts';

const HUMAN = 1;
const EDITED = 2;
/** The pair has a usable candidate (status ok). */
const CANDIDATE = 4;
/** The pair has a deciding rating. */
const RATED = 8;

/** A rating run's score of a row: 0 none, 1..5 the score, -1 unparsed. */
export const NO_RATING = 0;
export const UNPARSED = -1;

export interface IndexControl {
  signal?: AbortSignal;
  /** Called once the empty index exists, before it is filled (a table can show rows as they come). */
  onStart?: (index: PairIndex) => void;
  /** After each stored chunk: rows indexed so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export class PairIndex {
  readonly capacity: number;
  /** Rows filled so far (positions 0..size-1, in seq order). */
  size = 0;
  readonly seq: Int32Array;
  /** The score the selection compares (expected where chosen); NaN when none. */
  readonly score: Float64Array;
  readonly expected: Float64Array;
  /** -1 when unrated. */
  readonly round: Int16Array;
  readonly status: Uint8Array;
  readonly source: Int32Array;
  readonly chars: Int32Array;
  readonly instructionChars: Int32Array;
  readonly flags: Uint8Array;
  /** Per rating run (in the source's order): each row's score in that run (see NO_RATING, UNPARSED). */
  readonly runScores: Int8Array[];
  readonly sources: string[] = [];
  readonly #sourceIds = new Map<string, number>();
  readonly #runOf: Map<string, number>;

  constructor(capacity: number, runIds: readonly string[]) {
    this.capacity = capacity;
    this.seq = new Int32Array(capacity);
    this.score = new Float64Array(capacity);
    this.expected = new Float64Array(capacity);
    this.round = new Int16Array(capacity);
    this.status = new Uint8Array(capacity);
    this.source = new Int32Array(capacity);
    this.chars = new Int32Array(capacity);
    this.instructionChars = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.runScores = runIds.map(() => new Int8Array(capacity));
    this.#runOf = new Map(runIds.map((id, i) => [id, i]));
  }

  #sourceId(path: string): number {
    let id = this.#sourceIds.get(path);
    if (id === undefined) {
      id = this.sources.length;
      this.sources.push(path);
      this.#sourceIds.set(path, id);
    }
    return id;
  }

  /** Writes (or rewrites, after an edit or a decision) the row at `pos`. */
  set(pos: number, p: CuratedPair): void {
    this.seq[pos] = p.seq;
    this.score[pos] = p.score ?? NaN;
    const e = p.rating?.expectedScore;
    this.expected[pos] = typeof e === 'number' ? e : NaN;
    this.round[pos] = p.round ?? -1;
    this.status[pos] = PAIR_STATUSES.indexOf(p.status);
    this.source[pos] = this.#sourceId(p.source);
    this.chars[pos] = p.response.length;
    this.instructionChars[pos] = p.instruction.length;
    this.flags[pos] =
      (p.human ? HUMAN : 0) | (p.edited ? EDITED : 0) | (p.candidate?.status === 'ok' ? CANDIDATE : 0) | (p.rating ? RATED : 0);
    for (const s of this.runScores) s[pos] = NO_RATING;
    for (const r of p.ratings) {
      const k = this.#runOf.get(r.runId);
      const col = k === undefined ? undefined : this.runScores[k];
      if (col) col[pos] = r.parse === 'parsed' && r.score !== null && r.score >= 1 && r.score <= 5 ? Math.round(r.score) : UNPARSED;
    }
  }

  /** Position of `seq`, or -1 (rows are in seq order, so a binary search). */
  posOf(seq: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.seq[mid] as number;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  statusAt(pos: number): PairStatus {
    return PAIR_STATUSES[this.status[pos] as number] as PairStatus;
  }
  human(pos: number): boolean {
    return ((this.flags[pos] as number) & HUMAN) !== 0;
  }
  edited(pos: number): boolean {
    return ((this.flags[pos] as number) & EDITED) !== 0;
  }
  hasCandidate(pos: number): boolean {
    return ((this.flags[pos] as number) & CANDIDATE) !== 0;
  }
  rated(pos: number): boolean {
    return ((this.flags[pos] as number) & RATED) !== 0;
  }
  numberOrNull(col: Float64Array, pos: number): number | null {
    const v = col[pos] as number;
    return Number.isNaN(v) ? null : v;
  }

  /** The row at `pos` as a table row without its texts (instruction and response are ''). */
  summary(pos: number, into: PairRow = blankRow()): PairRow {
    into.seq = this.seq[pos] as number;
    into.chars = this.chars[pos] as number;
    into.instructionChars = this.instructionChars[pos] as number;
    into.score = this.numberOrNull(this.score, pos);
    into.expectedScore = this.numberOrNull(this.expected, pos);
    const round = this.round[pos] as number;
    into.round = round < 0 ? null : round;
    into.status = this.statusAt(pos);
    into.source = this.sources[this.source[pos] as number] ?? '';
    into.human = this.human(pos);
    into.edited = this.edited(pos);
    return into;
  }

  /**
   * Positions of the rows matching `q` (its `search` is ignored: pass the search scan's `mask`),
   * in `sort` order. Nulls sort last either way, ties by seq — the rule of core's compareRows.
   */
  query(q: PairQuery, sort: PairSort, mask?: Uint8Array): Int32Array {
    const test = compileQuery({ ...q, search: '' });
    const row = blankRow();
    const hits: number[] = [];
    for (let pos = 0; pos < this.size; pos++) {
      if (mask && mask[pos] !== 1) continue;
      if (test(this.summary(pos, row))) hits.push(pos);
    }
    if (sort.key !== 'seq' || sort.dir !== 'asc') this.#sort(hits, sort);
    return Int32Array.from(hits);
  }

  #sort(hits: number[], sort: PairSort): void {
    const key = this.#sortKey(sort);
    const sign = sort.dir === 'asc' ? 1 : -1;
    hits.sort((a, b) => {
      const x = key[a] as number;
      const y = key[b] as number;
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (xn !== yn) return xn ? 1 : -1;
      if (!xn && x !== y) return sign * (x - y);
      return (this.seq[a] as number) - (this.seq[b] as number);
    });
  }

  /** One number per row to sort by (NaN = no value); strings sort by their rank. */
  #sortKey(sort: PairSort): Float64Array {
    const n = this.size;
    const out = new Float64Array(n);
    const fill = (f: (pos: number) => number) => {
      for (let i = 0; i < n; i++) out[i] = f(i);
    };
    switch (sort.key) {
      case 'score': return this.score.subarray(0, n);
      case 'expectedScore': return this.expected.subarray(0, n);
      case 'chars': fill((i) => this.chars[i] as number); break;
      case 'instructionChars': fill((i) => this.instructionChars[i] as number); break;
      case 'round': fill((i) => ((this.round[i] as number) < 0 ? NaN : (this.round[i] as number))); break;
      case 'source': {
        const rank = rankOf(this.sources);
        fill((i) => rank[this.source[i] as number] as number);
        break;
      }
      case 'status': {
        const rank = rankOf(PAIR_STATUSES);
        fill((i) => rank[this.status[i] as number] as number);
        break;
      }
      default: fill((i) => this.seq[i] as number);
    }
    return out;
  }
}

/** Each string's position when the list is sorted as core's compareRows sorts strings. */
function rankOf(values: readonly string[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0].localeCompare(b[0]));
  const rank = new Array<number>(values.length);
  order.forEach(([, i], r) => (rank[i] = r));
  return rank;
}

export function blankRow(): PairRow {
  return { seq: 0, instruction: '', response: '', chars: 0, instructionChars: 0, score: null, expectedScore: null, round: null, status: 'unrated', source: '', human: false, edited: false };
}

/** The candidates, ratings and failures for `segments`, joined into pairs. */
export async function joinStored(store: ProjectStore, rs: ReviewSource, segments: Segment[]): Promise<CuratedPair[]> {
  const seqs = segments.map((s) => s.seq);
  const [candidates, ratings, failures] = await Promise.all([
    store.get<Candidate>(rs.source.candidates, seqs),
    Promise.all(rs.source.ratings.map((c) => store.get<Rating>(c, seqs))),
    Promise.all(rs.source.failures.map((c) => store.get<ItemFailure>(c, seqs))),
  ]);
  // Later failure collections win, as in the export.
  const failure = seqs.map((_, i) => failures.reduce<ItemFailure | undefined>((f, run) => run[i] ?? f, undefined));
  return joinPairs(segments, candidates, ratings, failure, rs.selection);
}

/** The pairs with these seqs (in that order; seqs with no segment are left out). */
export async function loadPairs(store: ProjectStore, rs: ReviewSource, seqs: readonly number[]): Promise<CuratedPair[]> {
  const segments = (await store.get<Segment>('segments', seqs)).filter((s): s is Segment => s !== undefined);
  return joinStored(store, rs, segments);
}

/** Reads every stored chunk once and fills a new index. */
export async function buildIndex(store: ProjectStore, rs: ReviewSource, control: IndexControl = {}): Promise<PairIndex> {
  const info = await store.info('segments');
  const index = new PairIndex(info.count, rs.rounds.map((r) => r.runId));
  control.onStart?.(index);
  await store.scan<Segment>('segments', async (segments) => {
    if (control.signal?.aborted) throw new AbortedError('Reading the pairs was stopped.');
    const pairs = await joinStored(store, rs, segments);
    for (const p of pairs) {
      if (index.size >= index.capacity) break;
      index.set(index.size++, p);
    }
    control.onProgress?.(index.size, index.capacity);
  });
  return index;
}

/**
 * Which rows contain every search term in their instruction or response (1 in the mask), by
 * reading the stored texts once — the index does not keep them.
 */
export async function searchMask(store: ProjectStore, rs: ReviewSource, index: PairIndex, search: string, control: IndexControl = {}): Promise<Uint8Array> {
  const test = compileQuery({ search });
  const mask = new Uint8Array(index.capacity);
  const row = blankRow();
  let done = 0;
  await store.scan<Segment>('segments', async (segments) => {
    if (control.signal?.aborted) throw new AbortedError('The search was stopped.');
    const candidates = await store.get<Candidate>(rs.source.candidates, segments.map((s) => s.seq));
    segments.forEach((s, i) => {
      const pos = index.posOf(s.seq);
      if (pos < 0) return;
      const c = candidates[i];
      row.instruction = c?.seq === s.seq ? c.instruction : '';
      row.response = s.text;
      if (test(row)) mask[pos] = 1;
    });
    done += segments.length;
    control.onProgress?.(done, index.size);
  });
  return mask;
}

/** Does this loaded pair match the search (for a row whose instruction was just edited)? */
export function pairMatches(p: CuratedPair, search: string): boolean {
  const row = blankRow();
  row.instruction = p.instruction;
  row.response = p.response;
  return compileQuery({ search })(row);
}
