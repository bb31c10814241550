/**
 * The corpus steps measured by models, in real Chromium with real IndexedDB: a token-length band
 * counted by the tiny model's tokenizer (the same seqs the core sampler picks from the worker's
 * counts), stored beside the segments and applied to a generation run's inputs; the near-duplicate
 * step offline ends with the named error in plain words and stores nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Candidate, Run } from '../../../src/core/records.ts';
import { sampleByTokenPercentile } from '../../../src/core/tokens/percentile.ts';
import { sampleSegments } from '../../../src/core/corpus/sample.ts';
import { DEFAULT_CORPUS_CONFIG } from '../../../src/state/corpus/corpus.svelte.ts';
import { SegmentFilters, TOKEN_BAND_META } from '../../../src/state/corpus/segment-filters.svelte.ts';
import { StagesState } from '../../../src/state/stages/stages.svelte.ts';
import { TokenState } from '../../../src/state/tokens/tokens.svelte.ts';
import { all, makeProject, PASSAGES, TINY, useTinyWllama } from '../stages/helpers.ts';

const engine = useTinyWllama();

describe('corpus filters by tokens and meaning', () => {
  it('keeps a band of token lengths, stores it with the project, and a generation run uses only those segments', async () => {
    const t = await makeProject(12);
    const tokens = new TokenState(t.ps);
    await tokens.loadUrl('/test/fixtures/tokenizer/');
    const filters = new SegmentFilters(t.ps, tokens);
    await filters.sampleByTokens({ from: 25, to: 50 });
    expect(filters.error).toBe(null);

    const counts = (await tokens.tokenizer()?.count(PASSAGES)) ?? [];
    const expected = sampleByTokenPercentile(counts.map((n, seq) => ({ seq, tokens: n })), { from: 25, to: 50 });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(12);
    expect([...(filters.tokenBand?.seqs ?? [])]).toEqual(expected);
    expect(filters.tokenBand).toMatchObject({ measured: 12, tokenizer: 'tokenizer', band: { from: 25, to: 50 } });
    expect([...((await t.store.getMeta<{ seqs: Uint32Array }>(TOKEN_BAND_META))?.seqs ?? [])]).toEqual(expected);
    expect([...((await filters.keep()) ?? [])]).toEqual(expected);

    const stages = new StagesState(t.ps, { engine: async () => ({ llm: engine.llm, model: TINY }), exemplars: async () => [], keep: () => filters.keep() });
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    stages.augmentForm.values.sampling = { temperature: 0, topP: 1, maxTokens: 4 };
    const run = (await stages.startAugment()) as Run;
    expect(run.progress).toMatchObject({ done: expected.length, total: expected.length, failed: 0 });
    expect((await all<Candidate>(t.store, `candidates:${run.id}`)).map((c) => c.seq)).toEqual(expected);

    await filters.clear('tokens');
    expect(await filters.keep()).toBe(null);
    tokens.dispose();
  });

  it('near-duplicates offline: the named error, in plain words, and nothing stored', async () => {
    const t = await makeProject(3);
    const tokens = new TokenState(t.ps);
    const filters = new SegmentFilters(t.ps, tokens);
    await filters.findNearDuplicates({ host: location.origin, model: 'humpback/no-such-minilm', threshold: 0.9, diverseN: null, seed: 42 });
    expect(filters.error?.name).toBe('EmbeddingModelUnavailableError');
    expect(filters.error?.message).toContain(`Could not load the sentence-embedding model humpback/no-such-minilm from ${location.origin}`);
    expect(t.notices.items.map((n) => n.message)).toEqual([filters.error?.message]);
    expect(filters.semantic).toBe(null);
    expect(filters.job).toBe(null);
    tokens.dispose();
  });
});

describe("the Corpus step's sample", () => {
  it('limits a generation run to the seeded random sample, and a band of character lengths combines with it', async () => {
    const t = await makeProject(12);
    const tokens = new TokenState(t.ps);
    const filters = new SegmentFilters(t.ps, tokens);
    expect(await filters.keep()).toBe(null);

    await t.ps.saveSetting('corpus', { ...DEFAULT_CORPUS_CONFIG, sample: { mode: 'random', n: 4, seed: 7 } });
    const sizes = PASSAGES.map((p, seq) => ({ seq, chars: p.length }));
    const expected = sampleSegments(sizes, { mode: 'random', n: 4, seed: 7 }).sort((a, b) => a - b);
    expect(expected).toHaveLength(4);
    expect([...((await filters.keep()) ?? [])]).toEqual(expected);

    const stages = new StagesState(t.ps, { engine: async () => ({ llm: engine.llm, model: TINY }), exemplars: async () => [], keep: () => filters.keep() });
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    stages.augmentForm.values.sampling = { temperature: 0, topP: 1, maxTokens: 4 };
    const run = (await stages.startAugment()) as Run;
    expect(run.progress).toMatchObject({ done: 4, total: 4, failed: 0 });
    expect((await all<Candidate>(t.store, `candidates:${run.id}`)).map((c) => c.seq)).toEqual(expected);

    await t.ps.saveSetting('corpus', { ...DEFAULT_CORPUS_CONFIG, sample: { mode: 'percentile', from: 0, to: 50 } });
    const band = sampleSegments(sizes, { mode: 'percentile', from: 0, to: 50 }).sort((a, b) => a - b);
    expect([...((await filters.keep()) ?? [])]).toEqual(band);
    tokens.dispose();
  });
});
