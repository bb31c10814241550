import { describe, expect, it } from 'vitest';
import { curatePair } from '../../../src/core/curation/pair.ts';
import { compareRows, compileQuery, queryRows, searchTerms, toPairRow, type PairRow } from '../../../src/core/review/query.ts';
import { candidate, decision, rating, segment } from '../export/records.ts';

function row(seq: number, o: Partial<PairRow>): PairRow {
  return {
    seq, instruction: `Q${seq}`, response: `R${seq}`, chars: 2, instructionChars: 2, score: null, expectedScore: null,
    round: null, status: 'unrated', source: 'a.md', human: false, edited: false, ...o,
  };
}

const rows: PairRow[] = [
  row(0, { score: 5, round: 0, status: 'kept', source: 'a.md', response: 'Humpback whales SING long songs.', chars: 32 }),
  row(1, { score: 2, round: 0, status: 'rejected', source: 'b.md', instruction: 'Explain krill', chars: 900, instructionChars: 13 }),
  row(2, { score: null, round: 0, status: 'unparsed', source: 'a.md', chars: 3000 }),
  row(3, { score: 4.5, expectedScore: 4.5, round: 1, status: 'kept', source: 'c.md', response: 'שלום whale song', chars: 15 }),
  row(4, { status: 'failed', source: 'b.md', chars: 0 }),
];
const seqs = (q: Parameters<typeof queryRows>[1], sort?: Parameters<typeof queryRows>[2]) => queryRows(rows, q, sort).map((r) => r.seq);

describe('compileQuery', () => {
  it('matches everything when empty', () => {
    expect(seqs({})).toEqual([0, 1, 2, 3, 4]);
    expect(seqs({ statuses: [], rounds: [], sources: [], search: '  ' })).toEqual([0, 1, 2, 3, 4]);
  });
  it('filters by score range inclusive, dropping unscored rows', () => {
    expect(seqs({ minScore: 4.5 })).toEqual([0, 3]);
    expect(seqs({ maxScore: 4.5 })).toEqual([1, 3]);
    expect(seqs({ minScore: 2, maxScore: 2 })).toEqual([1]);
  });
  it('filters by round, status and source file', () => {
    expect(seqs({ rounds: [1] })).toEqual([3]);
    expect(seqs({ statuses: ['kept', 'unparsed'] })).toEqual([0, 2, 3]);
    expect(seqs({ sources: ['b.md'] })).toEqual([1, 4]);
    expect(seqs({ sources: ['a.md'], statuses: ['kept'] })).toEqual([0]);
  });
  it('filters by response or instruction length', () => {
    expect(seqs({ minChars: 15, maxChars: 900 })).toEqual([0, 1, 3]);
    expect(seqs({ minChars: 10, lengthOf: 'instruction' })).toEqual([1]);
  });
  it('searches instruction and response case-insensitively; every term must appear', () => {
    expect(seqs({ search: 'whale' })).toEqual([0, 3]);
    expect(seqs({ search: 'sing WHALES' })).toEqual([0]);
    expect(seqs({ search: 'KRILL' })).toEqual([1]);
    expect(seqs({ search: '"whale song"' })).toEqual([3]);
    expect(seqs({ search: 'שלום' })).toEqual([3]);
    expect(seqs({ search: 'whale krill' })).toEqual([]);
  });
  it('matches search terms literally, regex characters included', () => {
    const code = [row(0, { instruction: 'Why C++ (and not C)?' }), row(1, { response: 'a.b*c [x] \\d $1' }), row(2, { instruction: 'CXX and not' })];
    const hits = (search: string) => queryRows(code, { search }).map((r) => r.seq);
    expect(hits('c++')).toEqual([0]);
    expect(hits('"(and not c)"')).toEqual([0]);
    expect(hits('a.b*c [x] \\d $1')).toEqual([1]);
    expect(hits('.')).toEqual([1]); // as a regex, '.' would match every row
  });
  it('compiles once into a predicate usable row by row', () => {
    const p = compileQuery({ statuses: ['kept'], search: 'whale' });
    expect(rows.map(p)).toEqual([true, false, false, true, false]);
  });
});

describe('sorting', () => {
  it('sorts by score both ways with unscored rows last and ties by seq', () => {
    expect(seqs({}, { key: 'score', dir: 'desc' })).toEqual([0, 3, 1, 2, 4]);
    expect(seqs({}, { key: 'score', dir: 'asc' })).toEqual([1, 3, 0, 2, 4]);
  });
  it('sorts text columns by locale and numbers numerically', () => {
    expect(seqs({}, { key: 'source', dir: 'asc' })).toEqual([0, 2, 1, 4, 3]);
    expect(seqs({}, { key: 'chars', dir: 'desc' })).toEqual([2, 1, 0, 3, 4]);
    expect(seqs({}, { key: 'round', dir: 'desc' })).toEqual([3, 0, 1, 2, 4]);
  });
  it('does not change the input', () => {
    const copy = [...rows];
    queryRows(rows, {}, { key: 'chars', dir: 'asc' });
    expect(rows).toEqual(copy);
    expect([rows[1] as PairRow, rows[0] as PairRow].sort(compareRows({ key: 'seq', dir: 'asc' })).map((r) => r.seq)).toEqual([0, 1]);
  });
});

describe('searchTerms', () => {
  it('lower-cases words and keeps quoted phrases whole', () => {
    expect(searchTerms('Whale  "Long SONG" krill ""')).toEqual(['whale', 'long song', 'krill']);
  });
});

describe('toPairRow', () => {
  it('flattens a curated pair', () => {
    // edited at 1500, rated at 2000: the rating judged the edited words
    const edit = decision(9, { instruction: 'Q?', editedAt: 1500 });
    const p = curatePair(segment(9, 'Body text'), candidate(9, 'Generated?'), [rating(9, 4, { expectedScore: 3.9 })], undefined, edit, { rule: { by: 'score', threshold: 4 }, deciders: ['r_cur0'] });
    expect(toPairRow(p)).toEqual({
      seq: 9, instruction: 'Q?', response: 'Body text', chars: 9, instructionChars: 2, score: 4, expectedScore: 3.9, round: 0,
      status: 'kept', source: 'docs/a.md', human: false, edited: true,
    });
  });
});
