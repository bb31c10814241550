/**
 * Filter and sort latency of the review table's pure query over 500,000 rows held in memory:
 * a status + score filter, a full-text search (the slow case: every row's text is lower-cased),
 * and a sort by score. The review screen runs the same functions (src/core/review/query.ts).
 */
import { compareRows, compileQuery, type PairRow } from '../../../src/core/review/query.ts';
import type { PairStatus } from '../../../src/core/curation/pair.ts';
import type { BenchFigure } from '../figure.ts';

const WORDS = ['whale', 'song', 'krill', 'ocean', 'migration', 'humpback', 'pod', 'breach', 'fluke', 'baleen', 'feeding', 'arctic'];
const STATUSES: PairStatus[] = ['kept', 'rejected', 'unparsed', 'failed', 'unrated'];

function makeRows(count: number, responseChars: number): PairRow[] {
  const rows: PairRow[] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    let len = 0;
    for (let k = 0; len < responseChars; k++) {
      const w = WORDS[(i * 31 + k * 7) % WORDS.length] as string;
      words.push(k % 9 === 0 ? w.toUpperCase() : w);
      len += w.length + 1;
    }
    const response = words.join(' ');
    const instruction = `Tell me about the ${WORDS[i % WORDS.length]} number ${i}?`;
    const score = i % 7 === 0 ? null : ((i * 3) % 5) + 1;
    rows.push({
      seq: i, instruction, response, chars: response.length, instructionChars: instruction.length, score, expectedScore: score,
      round: i % 2, status: STATUSES[i % STATUSES.length] as PairStatus, source: `doc${i % 50}.md`, human: false, edited: false,
    });
  }
  return rows;
}

function timeMs(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export async function benchReviewQuery(count = 500_000, responseChars = 400): Promise<BenchFigure[]> {
  const rows = makeRows(count, responseChars);
  const n = count.toLocaleString('en-US');
  let matched = 0;
  const filter = timeMs(() => {
    matched = rows.filter(compileQuery({ statuses: ['kept', 'rejected'], minScore: 3, maxScore: 5, sources: ['doc1.md', 'doc2.md', 'doc3.md'] })).length;
  });
  const search = timeMs(() => rows.filter(compileQuery({ search: 'krill "number 4999"' })).length);
  const sort = timeMs(() => [...rows].sort(compareRows({ key: 'score', dir: 'desc' })));
  if (matched === 0) throw new Error('the filter matched nothing; the bench data is wrong');
  return [
    { name: `review.filter.${count}.ms`, value: filter, unit: `ms over ${n} rows`, better: 'lower' },
    { name: `review.search.${count}.ms`, value: search, unit: `ms over ${n} rows of ${responseChars} chars`, better: 'lower' },
    { name: `review.sort_by_score.${count}.ms`, value: sort, unit: `ms over ${n} rows`, better: 'lower' },
  ];
}
