/**
 * Token budgets on a real run: the tiny model's tokenizer (transformers.js in its worker) measures
 * every prompt against llama.cpp's 512-token context (wllama, the tiny GGUF), over-long segments
 * are cut at a sentence end or skipped as chosen, the counts shown before the run are exact, the
 * cut prompts are accepted by the engine (no context overflow), and skipped segments are stored
 * as outcomes with the code 'too-long-for-context'. Stored segments stay whole.
 */
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type Candidate, type ItemFailure, type Run, type Segment } from '../../../src/core/records.ts';
import { augmentMessages } from '../../../src/core/stages/augment.ts';
import { readRunBudget, TOO_LONG_FOR_CONTEXT } from '../../../src/core/tokens/stage-budget.ts';
import { StageBudgets } from '../../../src/state/stages/stage-budget.svelte.ts';
import { StagesState } from '../../../src/state/stages/stages.svelte.ts';
import { TokenState } from '../../../src/state/tokens/tokens.svelte.ts';
import { all, makeProject, PASSAGES, type TestProject, TINY, useTinyWllama } from '../stages/helpers.ts';

const engine = useTinyWllama();

/** Eight passages in one segment: far over the room, with sentence ends to cut at. */
const LONG = PASSAGES.slice(0, 8).join(' ');
/** No sentence end anywhere: cannot be cut. */
const UNCUTTABLE = Array.from({ length: 8 }, () => PASSAGES[4]?.replaceAll('.', '')).join(' ');

async function projectWithLongSegments(): Promise<TestProject> {
  const t = await makeProject(4);
  const extra: Segment[] = [LONG, `${PASSAGES[9]} ${LONG}`, UNCUTTABLE].map((text, i) => ({
    schemaVersion: SCHEMA_VERSION, seq: 4 + i, id: `seg${4 + i}`, text, chars: text.length, hash: `long${i}`, provenance: { docId: 'd', path: 'long.txt', headers: [], offset: i },
  }));
  await t.store.put('segments', extra);
  await t.ps.refresh();
  return t;
}

async function stagesWithTokenizer(t: TestProject): Promise<{ stages: StagesState; tokens: TokenState; budgets: StageBudgets }> {
  const tokens = new TokenState(t.ps);
  const info = await tokens.loadUrl('/test/fixtures/tokenizer/');
  expect(info?.tokenizerClass).toBe('LlamaTokenizer');
  const budgets = new StageBudgets(t.ps, tokens);
  const stages = new StagesState(t.ps, { engine: async () => ({ llm: engine.llm, model: TINY }), exemplars: async () => [], runner: { batchSize: 2 }, budgets });
  await stages.load();
  stages.augmentForm.values.mode = 'finetuned';
  stages.augmentForm.values.sampling = { temperature: 0, topP: 1, maxTokens: 16 };
  return { stages, tokens, budgets };
}

describe('token budgets before and during a generation run', () => {
  it('cut at a sentence end: exact counts before starting, cut prompts accepted, the uncuttable one stored with its code', async () => {
    const t = await projectWithLongSegments();
    const { stages, tokens, budgets } = await stagesWithTokenizer(t);
    const tokenizer = tokens.tokenizer();
    if (!tokenizer) throw new Error('no tokenizer');
    const measured = await stages.measureBudget('augment');
    expect(t.notices.items).toEqual([]);
    // The room: 512 − 16 for the reply − the prompt around the segment (counted as the engine counts it).
    const cfg = { model: TINY, sampling: { temperature: 0, topP: 1, maxTokens: 16 }, examples: [], maxInstructionChars: 600, maxExampleChars: 1200 };
    const template = await tokenizer.countChat(augmentMessages(stages.templates.get('augment-finetuned'), { seq: 0, segmentId: '', text: '' }, cfg));
    expect(measured).toMatchObject({ contextWindow: 512, replyTokens: 16, fewShotTokens: 0, marginTokens: 0, choice: 'truncate', segmentTokens: 512 - 16 - template });
    const lengths = await tokenizer.count([...PASSAGES.slice(0, 4), LONG, `${PASSAGES[9]} ${LONG}`, UNCUTTABLE]);
    expect(lengths.slice(0, 4).every((n) => n <= (measured?.segmentTokens ?? 0))).toBe(true);
    expect(lengths.slice(4).every((n) => n > (measured?.segmentTokens ?? 0))).toBe(true);
    expect(measured?.counts).toMatchObject({ measured: 7, fits: 4, truncated: 2, skipped: 0, tooLongToCut: 1 });
    expect(budgets.measured.augment).toEqual(measured);

    const run = (await stages.startAugment()) as Run;
    expect(t.notices.items).toEqual([]);
    expect(run.status).toBe('done');
    const budget = readRunBudget(run.settings);
    expect(budget?.counts).toEqual(measured?.counts);
    expect(budget?.tokenizer).toEqual({ key: new URL('/test/fixtures/tokenizer/', location.href).href, name: 'tokenizer' });

    const candidates = await all<Candidate & { budget?: { chars: number; tokens: number; originalTokens: number } }>(t.store, `candidates:${run.id}`);
    expect(candidates.map((c) => c.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    // Every prompt the engine took is the size the budget counted, and within the context.
    expect(candidates.reduce((sum, c) => sum + (c.usage?.promptTokens ?? 0), 0)).toBe(budget?.promptTokens);
    for (const c of candidates) expect((c.usage?.promptTokens ?? 0) + 16).toBeLessThanOrEqual(512);
    expect(candidates.filter((c) => c.budget).map((c) => [c.seq, c.budget?.originalTokens])).toEqual([[4, lengths[4]], [5, lengths[5]]]);
    const cut4 = candidates[4]?.budget;
    expect(cut4 && LONG.slice(0, cut4.chars).endsWith('.')).toBe(true);

    const failures = await all<ItemFailure>(t.store, `failures:${run.id}`);
    expect(failures.map((f) => [f.seq, f.code, f.attempts])).toEqual([[6, TOO_LONG_FOR_CONTEXT, 0]]);
    expect(run.progress).toMatchObject({ done: 6, failed: 1, total: 7 });
    expect(run.progress.outcomes[TOO_LONG_FOR_CONTEXT]).toBe(1);
    // The stored segments are untouched.
    const [seg4] = await t.store.get<Segment>('segments', [4]);
    expect(seg4?.text).toBe(LONG);
  });

  it('skip: every over-long segment is stored as an outcome with its code, none reaches the engine', async () => {
    const t = await projectWithLongSegments();
    const { stages, budgets } = await stagesWithTokenizer(t);
    await budgets.setChoice('augment', 'skip');
    const measured = await stages.measureBudget('augment');
    expect(measured?.counts).toEqual({ measured: 7, fits: 4, truncated: 0, skipped: 3, tooLongToCut: 0, tokensCut: 0 });
    const run = (await stages.startAugment()) as Run;
    expect(run.status).toBe('done');
    expect((await all<Candidate>(t.store, `candidates:${run.id}`)).map((c) => c.seq)).toEqual([0, 1, 2, 3]);
    const failures = await all<ItemFailure>(t.store, `failures:${run.id}`);
    expect(failures.map((f) => [f.seq, f.code])).toEqual([[4, TOO_LONG_FOR_CONTEXT], [5, TOO_LONG_FOR_CONTEXT], [6, TOO_LONG_FOR_CONTEXT]]);
    expect(failures[0]?.message).toContain('Skipped, as chosen');
    expect(run.progress.outcomes[TOO_LONG_FOR_CONTEXT]).toBe(3);
    // The rewrite stage skips over-long responses unless told otherwise (a cut response would be rewritten in part).
    expect(t.ps.setting('tokenBudget', null)).toEqual({ augment: 'skip', curate: 'truncate', rewrite: 'skip' });
  });

  it('without a budget the over-long prompt reaches the engine and fails there (what the budget prevents)', async () => {
    const t = await projectWithLongSegments();
    const stages = new StagesState(t.ps, { engine: async () => ({ llm: engine.llm, model: TINY }), exemplars: async () => [], runner: { batchSize: 2 } });
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    stages.augmentForm.values.sampling = { temperature: 0, topP: 1, maxTokens: 16 };
    const run = (await stages.startAugment()) as Run;
    const failures = await all<ItemFailure>(t.store, `failures:${run.id}`);
    expect(failures.map((f) => f.seq)).toEqual([4, 5, 6]);
    expect(failures.every((f) => f.message.includes('exceeds the available context size'))).toBe(true);
  });
});
