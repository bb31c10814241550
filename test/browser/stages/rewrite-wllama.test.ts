/**
 * The rewrite stage (issue 19) through the real llama.cpp engine (wllama in this page) on the tiny
 * random-weight GGUF, into real IndexedDB. Instructions and ratings come from the endpoint (the
 * tiny model's would be cut off); the tiny model then rewrites the kept responses. Its words are
 * gibberish, so what is tested is the plumbing: one rewrite per kept pair with its status read
 * from the reply and its checks computed on what was stored, a cut-off reply kept as 'truncated'
 * and flagged, pause and resume by a fresh state object with no pair asked for twice.
 */
import { describe, expect, inject, it } from 'vitest';
import { currentSet } from '../../../src/state/review/curation.ts';
import { pairsOf } from '../../../src/core/curation/walk.ts';
import type { Rewrite, Run, Segment } from '../../../src/core/records.ts';
import { checkRewrite } from '../../../src/core/rewrite/checks.ts';
import { cleanRewrite } from '../../../src/core/stages/rewrite.ts';
import { StagesState, type StageEngine } from '../../../src/state/stages/stages.svelte.ts';
import { all, makeProject, openProject, TINY, useTinyWllama, watchedEndpoint, WatchedLlm, type TestProject } from './helpers.ts';

const engine = useTinyWllama();
const MAX_TOKENS = 24;

const endpoint = async (): Promise<StageEngine> => ({ llm: await watchedEndpoint(inject('chatServerUrl')), model: { engine: 'openai', model: 'test-model' } });

const stagesFor = (t: TestProject, writer: StageEngine, rewriter: StageEngine) =>
  new StagesState(t.ps, { engine: async (role) => (role === 'rewriter' ? rewriter : writer), exemplars: async () => [], runner: { batchSize: 1 } });

describe('the rewrite stage through the wllama engine into IndexedDB', () => {
  it('rewrites every kept pair once with its checks; pause, then resume on a fresh page', async () => {
    const t = await makeProject(12);
    const writer = await endpoint();
    let stages: StagesState | undefined;
    const watched = new WatchedLlm(engine.llm, (n) => {
      if (n === 3) stages?.pause('rewrite');
    });
    stages = stagesFor(t, writer, { llm: watched, model: TINY });
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    expect((await stages.startAugment())?.status).toBe('done');
    expect((await stages.startCurate())?.status).toBe('done');
    const set = currentSet(t.ps, await t.store.listRuns());
    const kept = (await pairsOf(t.store, set, await all<Segment>(t.store, 'segments'))).filter((p) => p.status === 'kept');
    expect(kept.length).toBeGreaterThanOrEqual(3);

    // The tiny model's context is 512 tokens: a short prompt, as a user with a small model would write (a new version).
    expect(await stages.rewriteForm.editTemplate({ system: '', user: 'Q: {{instruction}}\nText: {{response}}\nAnswer:' })).toEqual([]);
    expect(stages.rewriteForm.template.version).toBe(2);
    stages.rewriteForm.values.sampling = { temperature: 0, topP: 1, maxTokens: MAX_TOKENS };
    const paused = (await stages.startRewrite()) as Run;
    expect(t.notices.items).toEqual([]);
    expect(paused.status).toBe('paused');
    expect(paused.progress.done).toBe(2); // one request at a time: two finished before the third was asked for
    expect(paused.stageVersion).toBe(2);

    const reloaded = await openProject(t.project);
    const resumed = new WatchedLlm(engine.llm);
    const again = stagesFor(reloaded, writer, { llm: resumed, model: TINY });
    await again.load();
    const done = (await again.resume(paused.id)) as Run;
    expect(reloaded.notices.items).toEqual([]);
    expect(done.status).toBe('done');
    expect(resumed.requests).toHaveLength(kept.length - 2);
    expect(done.progress).toMatchObject({ done: kept.length, total: kept.length, failed: 0 });

    const rewrites = await all<Rewrite>(reloaded.store, `rewrites:${paused.id}`);
    expect(rewrites.map((r) => r.seq)).toEqual(kept.map((p) => p.seq));
    const outcomes: Record<string, number> = {};
    for (const [i, r] of rewrites.entries()) {
      const pair = kept[i]!;
      const completion = r.usage?.completionTokens ?? -1;
      expect(completion).toBeGreaterThan(0);
      expect(completion).toBeLessThanOrEqual(MAX_TOKENS);
      const cleaned = cleanRewrite(r.raw, completion === MAX_TOKENS ? 'length' : 'stop');
      expect({ text: r.text, status: r.status }).toEqual(cleaned);
      expect(r.checks).toEqual(r.text === '' ? null : checkRewrite(pair.response, r.text, r.checks!.limits));
      expect(r.flagged).toBe(r.status !== 'ok' || (r.checks?.flags.length ?? 0) > 0);
      expect(r).toMatchObject({ instruction: pair.instruction, provenance: { model: TINY, stageVersion: 2, promptVersion: 2 } });
      const code = r.status === 'ok' ? (r.flagged ? 'flagged' : 'rewritten') : r.status === 'refused' ? 'refused' : `rewrite-${r.status}`;
      outcomes[code] = (outcomes[code] ?? 0) + 1;
    }
    expect(done.progress.outcomes).toEqual(outcomes);
  });
});
