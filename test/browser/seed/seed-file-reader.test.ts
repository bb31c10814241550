/**
 * Reading dropped seed files in real Chromium: File.stream → DecompressionStream (gzip) →
 * TextDecoderStream → rows. The result must equal the pure import of the same text.
 */
import { describe, expect, test } from 'vitest';
import { importSeedFile, readSeedRows } from '../../../src/adapters/seed-file-reader.ts';
import { importSeedText } from '../../../src/core/seed/import.ts';
import type { SourceRow } from '../../../src/core/seed/types.ts';
import alpaca from '../../fixtures/seed/alpaca.json?raw';
import guanaco from '../../fixtures/seed/guanaco.jsonl?raw';
import lima from '../../fixtures/seed/lima.jsonl?raw';
import oasstFlat from '../../fixtures/seed/oasst-flat.jsonl?raw';
import oasstTree from '../../fixtures/seed/oasst-tree.jsonl?raw';
import openaiChat from '../../fixtures/seed/openai-chat.jsonl?raw';
import sharegpt from '../../fixtures/seed/sharegpt.jsonl?raw';
import { failure } from '../../support/failure.ts';
import { gzip } from '../../support/gzip.ts';

const FIXTURES: Record<string, string> = {
  'guanaco.jsonl': guanaco, 'oasst-flat.jsonl': oasstFlat, 'oasst-tree.jsonl': oasstTree, 'lima.jsonl': lima,
  'alpaca.json': alpaca, 'openai-chat.jsonl': openaiChat, 'sharegpt.jsonl': sharegpt,
};

async function collect(rows: AsyncIterable<SourceRow>): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('seed file reader', () => {
  test('reads every fixture to the same report and pairs as the pure import', async () => {
    for (const [name, text] of Object.entries(FIXTURES)) {
      const got = await importSeedFile(new File([text], name), name);
      expect(got, name).toEqual(importSeedText(text, name));
      expect(got.seeds.length, name).toBeGreaterThan(0);
    }
  });

  test('gunzips by name or by magic bytes, reporting progress in file bytes', async () => {
    const gz = await gzip(oasstFlat);
    const seen: number[] = [];
    const byName = await importSeedFile(new File([gz], 'oasst.jsonl.gz'), 'oasst.jsonl.gz', { onProgress: (p) => seen.push(p.bytes) });
    expect(byName).toEqual(importSeedText(oasstFlat, 'oasst.jsonl.gz'));
    expect(byName.report.kept).toBe(1);
    expect(seen.at(-1)).toBe(gz.size);
    const byMagic = await importSeedFile(new File([gz], 'download'), 'download');
    expect(byMagic.seeds.map((s) => s.messageId)).toEqual(['a2']);
  });

  test('streams a large file across chunk boundaries without splitting characters', async () => {
    const n = 4000;
    const line = (i: number) => JSON.stringify({ instruction: `Explain item ${i}: naïve café 日本語 🐋`, input: '', output: `Item ${i} is explained here in plain words — ${'ü'.repeat(40)}.` });
    const text = Array.from({ length: n }, (_, i) => line(i + 1)).join('\n');
    const file = new File([text], 'big.jsonl');
    expect(file.size).toBeGreaterThan(256 * 1024); // several stream chunks
    const rows = await collect(readSeedRows(file, 'big.jsonl'));
    expect(rows).toHaveLength(n);
    expect(rows.every((r, i) => r.row === i + 1 && 'value' in r)).toBe(true);
    const { report, seeds } = await importSeedFile(file, 'big.jsonl', { filters: { english: false } });
    expect(report.rows).toBe(n);
    expect(report.issues).toEqual({});
    expect(seeds).toHaveLength(n);
    expect(seeds[2999]?.instruction).toBe('Explain item 3000: naïve café 日本語 🐋');
    expect(seeds[2999]?.response).toBe(`Item 3000 is explained here in plain words — ${'ü'.repeat(40)}.`);
  });

  test('reads a pretty-printed single object whole, and a file of garbage as bad rows', async () => {
    const pretty = JSON.stringify({ conversations: ['What is two plus two?', 'Two plus two is four.'] }, null, 2);
    const rows = await collect(readSeedRows(new File([pretty], 'one.json'), 'one.json'));
    expect(rows).toEqual([{ row: 1, value: { conversations: ['What is two plus two?', 'Two plus two is four.'] } }]);
    const junk = await collect(readSeedRows(new File(['not json\n\nnor this\n'], 'junk.txt'), 'junk.txt'));
    expect(junk.map((r) => [r.row, 'error' in r])).toEqual([[1, true], [3, true]]);
  });

  test('replaces bytes that are not UTF-8 instead of failing', async () => {
    const before = new TextEncoder().encode('{"instruction": "Caf');
    const after = new TextEncoder().encode(' menu?", "output": "Coffee and cake are on the menu today."}\n');
    const file = new File([before, new Uint8Array([0xe9]), after], 'latin1.jsonl');
    const { seeds } = await importSeedFile(file, 'latin1.jsonl');
    expect(seeds.map((s) => s.instruction)).toEqual(['Caf\ufffd menu?']);
  });

  test('names a broken gzip file and a cancelled read', async () => {
    const gz = new Uint8Array(await (await gzip(guanaco)).arrayBuffer());
    const broken = new File([gz.slice(0, 40)], 'cut.jsonl.gz');
    const err = await failure(importSeedFile(broken, 'cut.jsonl.gz'));
    expect(err.name).toBe('SeedFileReadError');
    expect(err.message).toBe(
      'Could not read cut.jsonl.gz: it is not a complete gzip file. Check it decompresses on your computer (or drop the uncompressed file), then try again.',
    );
    const controller = new AbortController();
    controller.abort();
    const aborted = await failure(importSeedFile(new File([guanaco], 'g.jsonl'), 'g.jsonl', { signal: controller.signal }));
    expect(aborted).toEqual({ name: 'AbortError', message: 'Reading g.jsonl was cancelled.' });
  });
});
