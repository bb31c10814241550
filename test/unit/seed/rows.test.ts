import { describe, expect, it } from 'vitest';
import { JsonlRowReader, jsonArrayRows, jsonlRows, rowsFromText, sniffSeedText } from '../../../src/core/seed/rows.ts';

describe('seed file rows', () => {
  it('numbers JSONL rows by file line, skipping blank lines, with CRLF, a BOM and no final newline', () => {
    const rows = jsonlRows('\uFEFF{"a":1}\r\n\r\n  \n{"a":2}\r\n{bad\n[3]');
    expect(rows).toEqual([
      { row: 1, value: { a: 1 } },
      { row: 4, value: { a: 2 } },
      { row: 5, error: expect.stringContaining('JSON') },
      { row: 6, value: [3] },
    ]);
  });

  it('gives the same rows whatever the chunk boundaries', () => {
    const text = '{"text":"héllo"}\n\n{"text":"wörld"}\n{"n":3}';
    const whole = jsonlRows(text);
    for (const size of [1, 2, 3, 7, 100]) {
      const reader = new JsonlRowReader();
      const rows = [];
      for (let i = 0; i < text.length; i += size) rows.push(...reader.push(text.slice(i, i + size)));
      rows.push(...reader.end());
      expect(rows).toEqual(whole);
    }
    expect(whole.map((r) => r.row)).toEqual([1, 3, 4]);
  });

  it('reads a JSON array item by item, a single object as one row, and a broken file as one error', () => {
    expect(jsonArrayRows('[{"a":1}, 2, null]')).toEqual([
      { row: 1, value: { a: 1 } }, { row: 2, value: 2 }, { row: 3, value: null },
    ]);
    expect(jsonArrayRows('{"a":1}')).toEqual([{ row: 1, value: { a: 1 } }]);
    const broken = jsonArrayRows('[{"a":1},');
    expect(broken).toHaveLength(1);
    expect(broken[0]?.row).toBe(1);
    expect(broken[0] && 'error' in broken[0] && broken[0].error.startsWith('the file is not valid JSON: ')).toBe(true);
  });

  it('decides from the first line, waiting for it when it is not complete', () => {
    expect(sniffSeedText('  [', false)).toBe('whole');
    expect(sniffSeedText('\uFEFF{\r\n  "a"', false)).toBe('whole');
    expect(sniffSeedText('{"a": 1}\n', false)).toBe('lines');
    expect(sniffSeedText('{"a"', false)).toBeNull();
    expect(sniffSeedText('{"a": 1}', true)).toBe('lines');
    expect(sniffSeedText('  \n', false)).toBeNull();
    expect(sniffSeedText('  \n', true)).toBe('lines');
    expect(sniffSeedText('not json', false)).toBe('lines');
  });

  it('tells an array file from JSON Lines, and reads a pretty-printed object whole', () => {
    expect(rowsFromText('\uFEFF  \n [{"a":1}]')).toEqual([{ row: 1, value: { a: 1 } }]);
    expect(rowsFromText('{"a":1}\n{"a":2}\n')).toEqual([{ row: 1, value: { a: 1 } }, { row: 2, value: { a: 2 } }]);
    expect(rowsFromText('{\n  "a": 1\n}\n')).toEqual([{ row: 1, value: { a: 1 } }]);
    // A line of a pretty-printed object can parse on its own ("b"); the first line decides, not the rows.
    expect(rowsFromText('{\n  "a": [\n    "b"\n  ]\n}')).toEqual([{ row: 1, value: { a: ['b'] } }]);
    expect(rowsFromText('')).toEqual([]);
  });
});
