/**
 * Both stages through the real endpoint engine (OpenAiEndpoint over HTTP to the test chat server,
 * which answers as the method's two models) into real IndexedDB in real Chromium, driven by the
 * state the UI uses: exact candidates and ratings, expected scores from the server's logprobs,
 * the funnel, template versions, and pause + a simulated reload resuming with exactly one result
 * per segment and no request for anything already stored.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { OpenAiEndpoint } from '../../../src/adapters/openai/client.ts';
import type { Candidate, Rating, Run } from '../../../src/core/records.ts';
import { augmentMessages } from '../../../src/core/stages/augment.ts';
import { cleanInstruction } from '../../../src/core/stages/clean-instruction.ts';
import { curateRequest } from '../../../src/core/stages/curate.ts';
import { DEFAULT_TEMPLATES, builtInOf } from '../../../src/core/stages/prompts.ts';
import type { AugmentConfig, CurateConfig } from '../../../src/core/stages/stage.ts';
import { SelectionState } from '../../../src/state/stages/selection.svelte.ts';
import { loadExemplars } from '../../../src/state/seed/seeds.svelte.ts';
import { StagesState, type StagesOptions } from '../../../src/state/stages/stages.svelte.ts';
import { tokenize, tokenLogprob } from '../../support/chat-replies.ts';
import { humpbackReply } from '../../support/humpback-replies.ts';
import { all, cleanup, makeProject, openProject, PASSAGES, WatchedLlm, type TestProject } from './helpers.ts';

const MODEL = { engine: 'openai' as const, model: 'test-model' };
afterAll(cleanup);

async function endpoint(before?: (n: number) => void): Promise<WatchedLlm> {
  const llm = new OpenAiEndpoint({ baseUrl: inject('chatServerUrl') });
  await llm.load('test-model');
  return new WatchedLlm(llm, before);
}

/** A fine-tuned-mode generation run paused when the engine is asked for its `pauseAt`-th request. */
async function pausedAugment(t: TestProject, pauseAt: number, runner: StagesOptions['runner']): Promise<{ llm: WatchedLlm; paused: Run }> {
  let stages: StagesState | undefined;
  const llm = await endpoint((n) => {
    if (n === pauseAt) stages?.pause('augment');
  });
  stages = stagesFor(t, llm, runner);
  await stages.load();
  stages.augmentForm.values.mode = 'finetuned';
  return { llm, paused: (await stages.startAugment()) as Run };
}

/** What a tab closed mid-run leaves (the run still says 'running'), and the project opened again. */
async function reopenedRunning(t: TestProject, paused: Run, llm: WatchedLlm, runner: StagesOptions['runner']): Promise<{ reloaded: TestProject; again: StagesState }> {
  await t.store.putRun({ ...paused, status: 'running' });
  const reloaded = await openProject(t.project);
  const again = stagesFor(reloaded, llm, runner);
  await again.load();
  return { reloaded, again };
}

function stagesFor(t: TestProject, llm: WatchedLlm, runner: StagesOptions['runner'] = { batchSize: 4 }): StagesState {
  const stages = new StagesState(t.ps, {
    engine: async () => ({ llm, model: MODEL }),
    exemplars: () => loadExemplars(t.ps),
    runner,
  });
  return stages;
}

/** What the test server's "score" digit and its four alternatives (other digits, logprob −1…−4 lower) give as Σ p·k. */
function serverExpectedScore(score: number): number {
  const others = [1, 2, 3, 4, 5].filter((d) => d !== score);
  const weights = new Map<number, number>([[score, 1], ...others.map((d, k) => [d, Math.exp(-(k + 1))] as [number, number])]);
  let sum = 0;
  let mass = 0;
  for (const [d, w] of weights) {
    sum += d * w;
    mass += w;
  }
  return sum / mass;
}

describe('stages through the endpoint engine into IndexedDB', () => {
  it('writes one instruction per segment, rates every pair, and counts the funnel', async () => {
    const t = await makeProject(12);
    const llm = await endpoint();
    const stages = stagesFor(t, llm);
    await stages.load();
    expect(stages.augmentForm.values.mode).toBe('prompted');
    expect(stages.augmentForm.values.sampling).toEqual({ temperature: 0.7, topP: 0.9, maxTokens: 256 });
    // The Seed step's choice of examples: two, by its seeded diverse pick.
    await t.ps.saveSetting('exemplars', { k: 2, seed: 42, pinned: [], chosen: [], excluded: [] });

    const aug = (await stages.startAugment()) as Run;
    expect(t.notices.items).toEqual([]);
    expect(aug.status).toBe('done');
    expect(aug.stageVersion).toBe(2); // static-first wording
    expect(aug.progress).toMatchObject({ done: 12, total: 12, failed: 0, outcomes: { ok: 12 } });
    expect(llm.requests).toHaveLength(12);

    const candidates = await all<Candidate>(t.store, `candidates:${aug.id}`);
    expect(candidates.map((c) => c.seq)).toEqual([...Array(12).keys()]);
    expect(candidates[0]?.instruction).toBe('Explain text: the apt-get command installs, upgrades and removes.');
    const settings = aug.settings as { config: AugmentConfig };
    expect(settings.config.examples).toHaveLength(2);
    expect(settings.config.examples).toEqual(await loadExemplars(t.ps));
    expect(settings.config.model).toEqual(MODEL);
    for (const c of candidates) {
      const messages = augmentMessages(DEFAULT_TEMPLATES['augment-prompted'], { seq: c.seq, segmentId: c.segmentId, text: PASSAGES[c.seq] ?? '' }, settings.config);
      expect(messages).toHaveLength(1 + 2 * 2 + 1); // system, two reversed examples, the segment
      expect(c.raw).toBe(humpbackReply({ messages }));
      expect(c.instruction).toBe(cleanInstruction(c.raw, 600, false, PASSAGES[c.seq]).instruction);
      expect(c).toMatchObject({ status: 'ok', runId: aug.id, segmentId: `seg${c.seq}`, provenance: { model: MODEL, stageVersion: 2, promptVersion: 2, mode: 'prompted' } });
    }

    // Rate them (reasoned mode: the endpoint has no grammar field, but returns logprobs).
    stages.curateForm.augmentRunId = aug.id;
    const cur = (await stages.startCurate()) as Run;
    expect(t.notices.items).toEqual([]);
    expect(cur.status).toBe('done');
    expect(cur.round).toBe(0);
    const config = (cur.settings as { config: CurateConfig }).config;
    expect(config).toMatchObject({ constrained: false, topLogprobs: 20, round: 0, sampling: { temperature: 0, topP: 1, maxTokens: 512 } });
    const ratings = await all<Rating>(t.store, `ratings:${cur.id}`);
    expect(ratings.map((r) => r.seq)).toEqual([...Array(12).keys()]);
    for (const r of ratings) {
      const c = candidates[r.seq] as Candidate;
      const req = curateRequest(DEFAULT_TEMPLATES['curate-reasoned'], { seq: r.seq, segmentId: c.segmentId, instruction: c.instruction, response: PASSAGES[r.seq] ?? '' }, config);
      const raw = humpbackReply({ messages: req.messages });
      const score = Number(raw.slice(-1));
      expect(r).toMatchObject({ raw, parse: 'parsed', score, round: 0, curator: { model: MODEL, mode: 'reasoned', stageVersion: 2 } });
      expect(r.expectedScore).toBeCloseTo(serverExpectedScore(score), 12);
      expect(r.scoreProbs).toHaveLength(5);
      // The digit's own probability plus its four alternatives (each e^-1 lower), capped at 1.
      const digitLogprob = tokenLogprob(tokenize(raw).length - 1);
      expect(r.scoreMass).toBeCloseTo(Math.min(1, [0, 1, 2, 3, 4].reduce((m, k) => m + Math.exp(digitLogprob - k), 0)), 12);
    }
    const kept = ratings.filter((r) => (r.score ?? 0) >= 4).length;
    expect(cur.progress).toMatchObject({ done: 12, failed: 0, outcomes: { parsed: 12 } });

    // Nothing chosen yet: the default set is this run's latest round at A4; nothing is saved by looking.
    const selection = new SelectionState(t.ps);
    selection.adopt(stages.runs);
    expect(selection.set).toMatchObject({ chosen: false, augmentRunId: aug.id, decidingRunId: cur.id, deciders: [cur.id], rule: { by: 'score', threshold: 4 } });
    await selection.recount();
    expect(selection.funnel).toMatchObject({ segments: 12, candidates: 12, usable: 12, rated: 12, parsed: 12, kept, fallback: 0, awaitingRating: 0 });
    expect(t.ps.setting('selection', null)).toBeNull();
    // A5 is saved as the project's choice, for every step; the run is not pinned, so a new round would decide.
    await selection.setRule({ by: 'expected', threshold: 4.5 });
    await selection.recount();
    const keptExpected = ratings.filter((r) => (r.expectedScore ?? 0) >= 4.5).length;
    expect(selection.funnel?.kept).toBe(keptExpected);
    expect(keptExpected).toBeLessThan(kept); // the chosen digit carries ~58 % of the mass: a 5 gives E≈4.5
    expect(t.ps.setting('selection', null)).toEqual({ rule: { by: 'expected', threshold: 4.5 }, includeSeeds: true });
  });

  it('an edited template is a new version; the earlier run keeps its own results and label', async () => {
    const t = await makeProject(3);
    const llm = await endpoint();
    const stages = stagesFor(t, llm);
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    const first = (await stages.startAugment()) as Run;

    expect(await stages.templates.edit('augment-finetuned', { user: 'Passage without a placeholder' })).toEqual([
      { code: 'missing-placeholder', message: 'The request text must contain {{segment}} so the model sees it.', at: 'augment-finetuned' },
    ]);
    expect(stages.templates.get('augment-finetuned').version).toBe(1);
    expect(await stages.templates.edit('augment-finetuned', { user: 'Passage: {{segment}}' })).toEqual([]);
    expect(stages.templates.get('augment-finetuned')).toMatchObject({ version: 2, user: 'Passage: {{segment}}' });

    const second = (await stages.startAugment()) as Run;
    expect([first.stageVersion, second.stageVersion]).toEqual([1, 2]);
    const a = await all<Candidate>(t.store, `candidates:${first.id}`);
    const b = await all<Candidate>(t.store, `candidates:${second.id}`);
    expect(a.map((c) => [c.provenance.stageVersion, c.instruction])).toEqual([
      [1, 'Explain the apt-get command installs, upgrades and removes packages.'],
      [1, 'Explain a login shell reads /etc/profile and then the.'],
      [1, 'Explain the root file system holds /etc, /bin and.'],
    ]);
    expect(b.map((c) => [c.provenance.stageVersion, c.instruction])).toEqual([
      [2, 'Explain passage: the apt-get command installs, upgrades and removes.'],
      [2, 'Explain passage: a login shell reads /etc/profile and then.'],
      [2, 'Explain passage: the root file system holds /etc, /bin.'],
    ]);
    // Resuming the first run with the changed template is not needed: it keeps its own copy.
    expect((first.settings as { template: { version: number } }).template.version).toBe(1);

    // Our earlier "pair first" rating wording is still there to pick; it comes back as a new version, labelled by its layout.
    expect(builtInOf(stages.templates.get('curate-reasoned'))?.layout).toBe('static-first');
    expect(await stages.templates.useBuiltIn('curate-reasoned', 1)).toEqual([]);
    const old = stages.templates.get('curate-reasoned');
    expect([old.version, builtInOf(old)?.layout, builtInOf(old)?.label]).toEqual([3, 'pair-first', 'pair first: the item, then the rubric (our earlier wording)']);
    expect(old.user.indexOf('{{response}}')).toBeLessThan(old.user.indexOf('1 = '));
  });

  it('pause, then a reload with the run left running: Resume finishes with exactly one result per segment', async () => {
    const t = await makeProject(12);
    const { paused } = await pausedAugment(t, 7, { batchSize: 2, concurrency: 2 });
    expect(paused.status).toBe('paused');
    const stored = await all<Candidate>(t.store, `candidates:${paused.id}`);
    // Two requests in flight: when the 7th is asked for, at least 5 items are finished; 6 at most.
    expect(stored.length).toBeGreaterThanOrEqual(5);
    expect(stored.length).toBeLessThanOrEqual(6);
    expect(paused.progress.done).toBe(stored.length);

    const second = await endpoint();
    const { reloaded, again } = await reopenedRunning(t, paused, second, { batchSize: 2, concurrency: 2 });
    expect(again.interrupted.map((r) => r.id)).toEqual([paused.id]);
    expect(reloaded.notices.items.map((n) => n.title)).toEqual(['A run was interrupted']);

    const resuming = again.resume(paused.id);
    // Resumed: the notice about the run is over (the run is live, no longer interrupted).
    await expect.poll(() => again.live.augment?.runId).toBe(paused.id);
    expect(reloaded.notices.items).toEqual([]);
    const done = (await resuming) as Run;
    expect(reloaded.notices.items).toEqual([]);
    expect(done.status).toBe('done');
    expect(done.progress).toMatchObject({ done: 12, total: 12, failed: 0, outcomes: { ok: 12 } });
    expect(second.requests).toHaveLength(12 - stored.length);
    const finals = await all<Candidate>(reloaded.store, `candidates:${paused.id}`);
    expect(finals.map((c) => c.seq)).toEqual([...Array(12).keys()]);
    expect(again.interrupted).toEqual([]);
    // The items stored before the pause were not redone.
    for (const c of stored) expect(finals[c.seq]?.createdAt).toBe(c.createdAt);
  });

  it('refuses to resume with another model, and a cancelled run is not offered again', async () => {
    const t = await makeProject(4);
    let stages: StagesState | undefined;
    const llm = await endpoint((n) => {
      if (n === 2) stages?.pause('augment');
    });
    stages = stagesFor(t, llm, { batchSize: 1, concurrency: 1 });
    await stages.load();
    stages.augmentForm.values.mode = 'finetuned';
    const paused = (await stages.startAugment()) as Run;
    expect(paused.status).toBe('paused');

    const other = new StagesState(t.ps, { engine: async () => ({ llm, model: { engine: 'openai', model: 'another-model' } }), exemplars: async () => [] });
    await other.load();
    expect(await other.resume(paused.id)).toBeUndefined();
    expect((await t.store.getRun(paused.id))?.status).toBe('paused');
    expect(t.notices.items.at(-1)).toMatchObject({ title: 'Generating instructions failed' });
    expect(t.notices.items.at(-1)?.message).toContain('was started with test-model (openai), but another-model (openai) is loaded now');

    await stages.cancel(paused.id);
    expect(stages.byStage('augment').map((r) => r.status)).toEqual(['cancelled']);
    expect((await t.store.getRun(paused.id))?.status).toBe('cancelled');
  });

  it('the notice about an interrupted run ends when that run is cancelled', async () => {
    const t = await makeProject(4);
    const { llm, paused } = await pausedAugment(t, 2, { batchSize: 1, concurrency: 1 });
    const { reloaded, again } = await reopenedRunning(t, paused, llm, { batchSize: 1, concurrency: 1 });
    expect(reloaded.notices.items.map((n) => n.title)).toEqual(['A run was interrupted']);
    reloaded.notices.error(new Error('Unrelated trouble'), 'Reading a file');
    await again.cancel(paused.id);
    expect(again.interrupted).toEqual([]);
    // Only the notice about that run went; an unrelated error stays until dismissed.
    expect(reloaded.notices.items.map((n) => n.title)).toEqual(['Reading a file failed']);
  });
});
