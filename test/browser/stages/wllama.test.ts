/**
 * Both stages through the real llama.cpp engine (wllama, in this page) on the tiny random-weight
 * GGUF, into real IndexedDB. The model writes gibberish; what is tested is the plumbing: every
 * reply lands once with its outcome counted (truncated instructions are kept with their code),
 * fast rating with the grammar parses 100 % in one token each, the score tokens' logprobs give an
 * expected score on every rating, a rating run paused and resumed by a fresh state object ends
 * with one rating per pair, and a second round by another engine is compared with the first.
 */
import { describe, expect, inject, it } from 'vitest';
import { OpenAiEndpoint } from '../../../src/adapters/openai/client.ts';
import { countIssues } from '../../../src/core/result.ts';
import type { Candidate, ModelRef, Rating, Run } from '../../../src/core/records.ts';
import { cleanInstruction } from '../../../src/core/stages/clean-instruction.ts';
import type { CurateConfig } from '../../../src/core/stages/stage.ts';
import { SelectionState } from '../../../src/state/stages/selection.svelte.ts';
import { StagesState, type StageEngine } from '../../../src/state/stages/stages.svelte.ts';
import { all, makeProject, openProject, type TestProject, TINY, useTinyWllama, WatchedLlm } from './helpers.ts';

const ENDPOINT: ModelRef = { engine: 'openai', model: 'test-model' };
const N = 5;
const engine = useTinyWllama();

async function endpoint(): Promise<OpenAiEndpoint> {
  const llm = new OpenAiEndpoint({ baseUrl: inject('chatServerUrl') });
  await llm.load('test-model');
  return llm;
}

function stagesFor(t: TestProject, engines: { backward: StageEngine; curator: StageEngine }, batchSize = 2): StagesState {
  return new StagesState(t.ps, { engine: async (role) => engines[role === 'rewriter' ? 'curator' : role], exemplars: async () => [], runner: { batchSize } });
}

describe('stages through the wllama engine into IndexedDB', () => {
  it('writes an instruction for every segment and keeps each outcome with its code', async () => {
    const t = await makeProject(N);
    const tiny = { llm: engine.llm, model: TINY };
    const stages = stagesFor(t, { backward: tiny, curator: tiny });
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    stages.augmentForm.values.sampling = { temperature: 0.7, topP: 0.9, maxTokens: 16 };
    const run = (await stages.startAugment()) as Run;
    expect(t.notices.items).toEqual([]);
    expect(run.status).toBe('done');

    const candidates = await all<Candidate>(t.store, `candidates:${run.id}`);
    expect(candidates.map((c) => c.seq)).toEqual([...Array(N).keys()]);
    for (const c of candidates) {
      const completion = c.usage?.completionTokens ?? -1;
      expect(completion).toBeGreaterThan(0);
      expect(completion).toBeLessThanOrEqual(16);
      // A reply cut at the token limit is 'truncated' (kept, not dropped); one the model ended is judged on its text.
      expect(c.status).toBe(cleanInstruction(c.raw, 600, completion === 16).status);
      expect(c.provenance).toMatchObject({ model: TINY, mode: 'finetuned', sampling: { temperature: 0.7, topP: 0.9, maxTokens: 16 } });
    }
    expect(run.progress.outcomes).toEqual(countIssues(candidates.map((c) => ({ code: c.status, message: '' }))));
    expect(run.progress).toMatchObject({ done: N, total: N, failed: 0 });
  });

  it('fast rating with the grammar: 100 % parsed, one token each, an expected score on every pair; pause + resume, then a second round', async () => {
    const t = await makeProject(N);
    // Instructions from the endpoint (the tiny model's are cut off, so there would be nothing to rate).
    const writer = { llm: await endpoint(), model: ENDPOINT };
    let stages: StagesState | undefined;
    const watched = new WatchedLlm(engine.llm, (n) => {
      if (n === 3) stages?.pause('curate');
    });
    stages = stagesFor(t, { backward: writer, curator: { llm: watched, model: TINY } });
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    const aug = (await stages.startAugment()) as Run;
    expect(aug.progress.outcomes).toEqual({ ok: N });

    // The tiny model's context is 512 tokens and our rubric alone is ~1,000 of its byte-level
    // tokens: shorten the fast template the way a user with a small model would (a new version).
    expect(await stages.templates.edit('curate-fast', { system: '', user: 'Rate 1-5.\nQ: {{instruction}}\nA: {{response}}\nScore:' })).toEqual([]);
    stages.curateForm.values.mode = 'fast';
    stages.curateForm.augmentRunId = aug.id;
    const paused = (await stages.startCurate()) as Run;
    expect(paused.status).toBe('paused');
    expect(paused.progress.done).toBe(2); // one request at a time: two finished before the third was asked for
    expect((paused.settings as { config: CurateConfig }).config).toMatchObject({ constrained: true, topLogprobs: 20, sampling: { maxTokens: 1, temperature: 0 } });

    // A fresh page: new ProjectState, new store connection, new StagesState.
    const reloaded = await openProject(t.project);
    const resumedLlm = new WatchedLlm(engine.llm);
    const again = stagesFor(reloaded, { backward: writer, curator: { llm: resumedLlm, model: TINY } });
    await again.load();
    expect(again.interrupted).toEqual([]); // paused, not interrupted: offered as Resume without a notice
    expect(again.byStage('curate').map((r) => r.status)).toEqual(['paused']);
    const done = (await again.resume(paused.id)) as Run;
    expect(reloaded.notices.items).toEqual([]);
    expect(done.status).toBe('done');
    expect(resumedLlm.requests).toHaveLength(N - 2);
    expect(done.progress).toMatchObject({ done: N, total: N, failed: 0, outcomes: { parsed: N } });

    const ratings = await all<Rating>(reloaded.store, `ratings:${paused.id}`);
    expect(ratings.map((r) => r.seq)).toEqual([...Array(N).keys()]);
    for (const r of ratings) {
      expect(r.raw).toMatch(/^[1-5]$/);
      expect(r).toMatchObject({ parse: 'parsed', score: Number(r.raw), round: 0, curator: { model: TINY, mode: 'fast', stageVersion: 3 } });
      expect(r.usage?.completionTokens).toBe(1);
      expect(r.scoreProbs).toHaveLength(5);
      const probs = r.scoreProbs ?? [];
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(r.expectedScore).toBeCloseTo(probs.reduce((s, p, i) => s + p * (i + 1), 0), 9);
      expect(r.scoreMass).toBeGreaterThan(0);
      expect(r.scoreMass).toBeLessThanOrEqual(1);
      // Greedy decoding picked the most likely digit.
      expect(probs.indexOf(Math.max(...probs)) + 1).toBe(r.score);
    }

    // Round 1 by another model over the same candidates, stored beside round 0.
    const engines = { backward: writer, curator: writer };
    const third = stagesFor(reloaded, engines);
    await third.load();
    third.curateForm.values = { mode: 'reasoned', round: 1 };
    third.curateForm.augmentRunId = aug.id;
    const second = (await third.startCurate()) as Run;
    expect(second).toMatchObject({ status: 'done', round: 1 });
    const round1 = await all<Rating>(reloaded.store, `ratings:${second.id}`);

    // The latest round decides by default; round 0 is the one compared with it.
    const selection = new SelectionState(reloaded.ps);
    selection.adopt(third.runs);
    expect([selection.set.decidingRunId, selection.compareRunId]).toEqual([second.id, paused.id]);
    expect(selection.otherRounds.map((r) => r.id)).toEqual([paused.id]);
    await selection.recount();
    const c = selection.comparison;
    expect(c).not.toBeNull();
    expect(c).toMatchObject({ paired: N, bothParsed: N, onlyFirst: 0, onlySecond: 0 });
    const moves = ratings.map((r, i) => (round1[i]?.score ?? 0) - (r.score ?? 0));
    expect(c?.meanDelta).toBeCloseTo(moves.reduce((a, b) => a + b, 0) / N, 12);
    expect(c?.up).toBe(moves.filter((d) => d > 0).length);
    expect(c?.down).toBe(moves.filter((d) => d < 0).length);
    expect(c?.matrix.flat().reduce((a, b) => a + b, 0)).toBe(N);
    for (const r of ratings) expect(c?.matrix[r.score ?? 0]?.[round1[r.seq]?.score ?? 0]).toBeGreaterThan(0);
  });
});
