import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { datasetCard, redactSecrets, sizeCategory, type CardInput } from '../../../src/core/export/card.ts';
import { curatedSetOf } from '../../../src/core/curation/curated-set.ts';
import { writeExport, type ExportChoice } from '../../../src/core/export/stream.ts';
import { candidate, curatedSet, rating, seed, segment } from './records.ts';

async function cardInput(): Promise<CardInput> {
  const store = new MemoryProjectStore();
  await store.put('seeds', [seed(0, 'Seed Q1', 'Seed A1')]);
  await store.put('segments', [0, 1, 2].map((i) => segment(i, `Segment ${i} text`)));
  await store.put('candidates:r_aug', [0, 1, 2].map((i) => candidate(i, `Question ${i}?`)));
  await store.put('ratings:r_cur0', [rating(0, 5, { expectedScore: 4.8, scoreMass: 0.9 }), rating(1, 2, { expectedScore: 2.2, scoreMass: 0.3 }), rating(2, null)]);
  const set = curatedSet({ rule: { by: 'expected', threshold: 4.5 } });
  const choice: ExportChoice = { format: 'messages', sourceTags: true, statuses: ['kept'] };
  const report = await writeExport(store, set, choice, async () => undefined);
  return {
    projectName: 'Whale | facts',
    fileName: 'whale-facts-messages.jsonl',
    report,
    options: report.options,
    curation: set.label,
    settings: { openaiApiKey: 'sk-abcdefghijklmnop', endpoint: 'http://127.0.0.1:8080', maxTokens: 256, nested: { hfToken: 'x', note: 'hf_abcdefghijk' } },
    prompts: [{ name: 'Curate', version: 3, text: 'Rate it.\n```\nScore: N\n```' }],
    exportedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
  };
}

describe('datasetCard', () => {
  it('writes the whole card exactly (front matter, counts, funnel, scores, models, prompts, settings)', async () => {
    const expected = readFileSync(new URL('../../fixtures/export/card.md', import.meta.url), 'utf8');
    expect(datasetCard(await cardInput())).toBe(expected);
  });

  it('never writes a key or token from the settings', async () => {
    const card = datasetCard(await cardInput());
    expect(card).not.toContain('sk-abcdefghijklmnop');
    expect(card).not.toContain('hf_abcdefghijk');
    expect(card).toContain('"maxTokens": 256');
  });

  it('says so when nothing was rated, and gives no source tags for reversed pairs', async () => {
    const input = await cardInput();
    const store = new MemoryProjectStore();
    const set = curatedSetOf([], null);
    const report = await writeExport(store, set, { format: 'reversed', sourceTags: true, statuses: ['kept'] }, async () => undefined);
    expect(report.options).toEqual({ format: 'reversed', sourceTags: true, statuses: ['kept'], includeSeeds: true, selection: { minScore: 4, useExpected: false } });
    const card = datasetCard({ ...input, report, options: report.options, curation: set.label, prompts: [] });
    expect(card).toContain('\n## Score distribution\n\nNo ratings.\n');
    expect(card).toContain('\n| source tags | no |\n');
    expect(card).toContain('\n| rows | 0 (0 seed, 0 generated) |\n');
    expect(card).toContain('\n| kept | 0 | – |\n');
    expect(card).toContain('Backward model (wrote the instructions):\n\nNone recorded.\n');
    expect(card).toContain('Curated set: seed pairs only (nothing generated yet), seed pairs included.');
    expect(card).toContain('is at least 4. ');
  });
});

describe('redactSecrets', () => {
  it('removes secret-named keys and key-shaped values at any depth, keeps the rest', () => {
    expect(
      redactSecrets({
        apiKey: 'abc', api_key: 'abc', 'API Key': 'abc', password: 'p', clientSecret: 's', authorization: 'Bearer x', accessToken: 't', token: 't',
        maxTokens: 5, tokensPerSecond: 3, keyboard: 'qwerty', list: [{ bearerToken: 'b' }, 'sk-proj-1234567890'], url: 'https://x', n: null,
      }),
    ).toEqual({
      apiKey: '[removed]', api_key: '[removed]', 'API Key': '[removed]', password: '[removed]', clientSecret: '[removed]', authorization: '[removed]',
      accessToken: '[removed]', token: '[removed]', maxTokens: 5, tokensPerSecond: 3, keyboard: 'qwerty', list: [{ bearerToken: '[removed]' }, '[removed]'],
      url: 'https://x', n: null,
    });
  });
});

describe('sizeCategory', () => {
  it('uses the Hugging Face size buckets', () => {
    expect([0, 999, 1000, 9999, 10_000, 99_999, 100_000, 999_999, 1_000_000].map(sizeCategory)).toEqual([
      'n<1K', 'n<1K', '1K<n<10K', '1K<n<10K', '10K<n<100K', '10K<n<100K', '100K<n<1M', '100K<n<1M', '1M<n<10M',
    ]);
  });
});
