import { describe, expect, it } from 'vitest';
import { detectSeedFormat, formatOfRow } from '../../../src/core/seed/formats.ts';
import { importSeedRows, importSeedRowsAsync, importSeedText } from '../../../src/core/seed/import.ts';
import { jsonlRows } from '../../../src/core/seed/rows.ts';
import type { SourceRow } from '../../../src/core/seed/types.ts';
import { fixture } from './fixture.ts';

describe('format detection', () => {
  it('recognises one row of each format by its fields', () => {
    expect(formatOfRow({ text: '### Human: hi ### Assistant: hello' })).toBe('guanaco');
    expect(formatOfRow({ text: 'no markers' })).toBeNull();
    expect(formatOfRow({ message_id: 'm', parent_id: null, role: 'prompter', text: 'q' })).toBe('oasst-flat');
    expect(formatOfRow({ message_tree_id: 't', prompt: { message_id: 'm' } })).toBe('oasst-tree');
    expect(formatOfRow({ prompt: { text: 'q', replies: [] } })).toBe('oasst-tree');
    expect(formatOfRow({ conversations: ['q', 'a'] })).toBe('lima');
    expect(formatOfRow({ conversations: [{ from: 'human', value: 'q' }] })).toBe('sharegpt');
    expect(formatOfRow({ conversations: [] })).toBeNull();
    expect(formatOfRow({ instruction: 'i', input: '', output: 'o' })).toBe('alpaca');
    expect(formatOfRow({ messages: [] })).toBe('openai-chat');
    expect(formatOfRow({ prompt: 'p', completion: 'c' })).toBeNull();
    expect(formatOfRow('text')).toBeNull();
    expect(formatOfRow(null)).toBeNull();
  });

  it('detects every fixture file from its first rows', () => {
    const expected = {
      'guanaco.jsonl': 'guanaco', 'oasst-flat.jsonl': 'oasst-flat', 'oasst-tree.jsonl': 'oasst-tree', 'lima.jsonl': 'lima',
      'alpaca.json': 'alpaca', 'openai-chat.jsonl': 'openai-chat', 'sharegpt.jsonl': 'sharegpt',
    };
    const got = Object.fromEntries(Object.keys(expected).map((f) => [f, importSeedText(fixture(f), f).report.format]));
    expect(got).toEqual(expected);
  });

  it('votes by majority over the first 20 rows, ties to the first seen', () => {
    const alpaca = { value: { instruction: 'i', output: 'o' } };
    const lima = { value: { conversations: ['q', 'a'] } };
    const rows = [lima, alpaca, alpaca, { error: 'x' }, lima, alpaca].map((r, i) => ({ row: i + 1, ...r }) as SourceRow);
    expect(detectSeedFormat(rows)).toEqual({ format: 'alpaca', votes: { lima: 2, alpaca: 3 }, sampled: 6 });
    const tie = [lima, alpaca].map((r, i) => ({ row: i + 1, ...r }) as SourceRow);
    expect(detectSeedFormat(tie).format).toBe('lima');
    const late = [...Array.from({ length: 20 }, (_, i) => ({ row: i + 1, value: { other: 1 } })), { row: 21, value: lima.value }];
    expect(detectSeedFormat(late)).toEqual({ format: null, votes: {}, sampled: 20 });
  });

  it('reports a file it cannot place, counting only its unparsable rows', () => {
    const rows = jsonlRows(Array.from({ length: 25 }, (_, i) => (i === 22 ? '{oops' : `{"id": ${i}}`)).join('\n'));
    const result = importSeedRows(rows, 'mystery.jsonl');
    expect(result.format).toBeNull();
    expect(result.rows).toBe(25);
    expect(result.issues).toEqual({ 'malformed-json': 1 });
    expect(result.candidates).toEqual([]);
    const { report } = importSeedText('{"id": 1}\n', 'mystery.jsonl');
    expect(report.message).toBe('No row looks like a seed format this app reads. Choose the format by hand, or check the file is the one you meant.');
    expect(importSeedText('\n\n', 'empty.jsonl').report.message).toBe(
      'The file has no rows. Seed files are JSON Lines (one record per line) or a JSON array.',
    );
  });

  it('imports the same from a stream of rows as from the whole text', async () => {
    const rows = jsonlRows(fixture('sharegpt.jsonl'));
    async function* stream() {
      for (const r of rows) yield r;
    }
    const streamed = await importSeedRowsAsync(stream(), 'sharegpt.jsonl');
    expect(streamed).toEqual(importSeedRows(rows, 'sharegpt.jsonl'));
    expect(streamed.candidates).toHaveLength(4);
  });
});
