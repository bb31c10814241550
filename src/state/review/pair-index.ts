/**
 * A compact in-memory summary of every pair, so the review table can filter, sort and chart
 * 500,000 rows without holding their texts: one typed array per column (seq, score, expected
 * score, round, status, source, lengths, flags, each rating run's score) — about 40 bytes a
 * row, 20 MB for 500,000, where the texts would be close to a gigabyte. It is filled by reading
 * the stored chunks once; the texts of the rows on screen are read page by page (`loadPairs`, pair-reading.ts).
 *
 * Filtering reuses core's `compileQuery` on one reused row object, so the table, the export and
 * the tests agree on what a filter means; full-text search is a separate scan (`searchMask` in
 * pair-reading.ts), since the texts are not kept.
 */
import { PAIR_STATUSES, type CuratedPair, type PairStatus } from '../../core/curation/pair.ts';
import { compileQuery, type PairQuery, type PairRow, type PairSort } from '../../core/review/query.ts';

const HUMAN = 1;
const EDITED = 2;
/** The pair has a usable candidate (status ok). */
const CANDIDATE = 4;
/** The pair has a deciding rating. */
const RATED = 8;

/** A rating run's score of a row: 0 none, 1..5 the score, -1 unparsed. */
export const NO_RATING = 0;
export const UNPARSED = -1;

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
