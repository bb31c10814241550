/**
 * How scores moved between two rating rounds of the same candidate pool (M0 then M1). METHOD.md:
 * a reproduction's M1 rated worse than M0, and nobody could see it; here each round is stored
 * beside the other and compared pair by pair.
 *
 * Matrix rows are the first round, columns the second; index 0 is "unparsed", 1..5 the scores.
 */
import type { Rating } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';

export interface RoundComparison {
  /** matrix[a][b]: pairs scored a in the first round and b in the second (0 = unparsed). */
  matrix: number[][];
  /** Pairs rated in both rounds. */
  paired: number;
  /** Pairs parsed in both rounds. */
  bothParsed: number;
  up: number;
  down: number;
  same: number;
  /** Mean of (second − first) over pairs parsed in both; null when none. */
  meanDelta: number | null;
  /** Same for expected scores, over pairs that have one in both rounds. */
  meanExpectedDelta: number | null;
  onlyFirst: number;
  onlySecond: number;
}

const cell = (r: Rating): number => (r.parse === 'parsed' && r.score !== null ? r.score : 0);

export class RoundComparer {
  readonly #m = Array.from({ length: 6 }, () => [0, 0, 0, 0, 0, 0]);
  #paired = 0;
  #both = 0;
  #up = 0;
  #down = 0;
  #same = 0;
  #delta = 0;
  #eDelta = 0;
  #eCount = 0;
  #onlyFirst = 0;
  #onlySecond = 0;

  add(first: Rating | undefined, second: Rating | undefined): void {
    if (!first && !second) return;
    if (!second) return void this.#onlyFirst++;
    if (!first) return void this.#onlySecond++;
    this.#paired++;
    const a = cell(first);
    const b = cell(second);
    (this.#m[a] as number[])[b] = ((this.#m[a] as number[])[b] ?? 0) + 1;
    if (a > 0 && b > 0) {
      this.#both++;
      this.#delta += b - a;
      if (b > a) this.#up++;
      else if (b < a) this.#down++;
      else this.#same++;
    }
    if (typeof first.expectedScore === 'number' && typeof second.expectedScore === 'number') {
      this.#eCount++;
      this.#eDelta += second.expectedScore - first.expectedScore;
    }
  }

  /** Ratings of the second round whose pair the first round never rated. */
  addOnlySecond(n: number): void {
    this.#onlySecond += n;
  }

  result(): RoundComparison {
    return {
      matrix: this.#m.map((row) => [...row]),
      paired: this.#paired,
      bothParsed: this.#both,
      up: this.#up,
      down: this.#down,
      same: this.#same,
      meanDelta: this.#both > 0 ? this.#delta / this.#both : null,
      meanExpectedDelta: this.#eCount > 0 ? this.#eDelta / this.#eCount : null,
      onlyFirst: this.#onlyFirst,
      onlySecond: this.#onlySecond,
    };
  }
}

/** Compares two rating collections, matching pairs by seq. */
export function compareRounds(first: Iterable<Rating>, second: Iterable<Rating>): RoundComparison {
  const bySeq = new Map<number, Rating>();
  for (const r of second) bySeq.set(r.seq, r);
  const c = new RoundComparer();
  for (const r of first) {
    c.add(r, bySeq.get(r.seq));
    bySeq.delete(r.seq);
  }
  for (const r of bySeq.values()) c.add(undefined, r);
  return c.result();
}

/** The same, reading two runs' ratings from the store chunk by chunk (first round scanned, second fetched by seq). */
export async function compareRoundsInStore(store: ProjectStore, firstRunId: string, secondRunId: string): Promise<RoundComparison> {
  const c = new RoundComparer();
  let seen = 0;
  await store.scan<Rating>(`ratings:${firstRunId}`, async (chunk) => {
    const seconds = await store.get<Rating>(`ratings:${secondRunId}`, chunk.map((r) => r.seq));
    chunk.forEach((r, i) => {
      const s = seconds[i];
      if (s) seen++;
      c.add(r, s);
    });
  });
  const secondCount = (await store.info(`ratings:${secondRunId}`)).count;
  c.addOnlySecond(secondCount - seen);
  return c.result();
}
