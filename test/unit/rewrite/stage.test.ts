import { describe, expect, it } from 'vitest';
import { curatedSetOf } from '../../../src/core/curation/curated-set.ts';
import { newRun, type ItemFailure, type Rewrite } from '../../../src/core/records.ts';
import { countRewriteInputs, rewriteInputs, rewriteRunSettings, rewriteSetOf, type RewriteRunSettings } from '../../../src/core/rewrite/run.ts';
import {
  DEFAULT_REWRITE_TEMPLATE, NOT_ANSWERABLE, checkRewriteTemplate, cleanRewrite, editRewriteTemplate, rewriteRequest, rewriteStage,
} from '../../../src/core/stages/rewrite.ts';
import { PAUSE, runStage } from '../../../src/core/stages/runner.ts';
import { RunSettingsError } from '../../../src/core/stages/run-settings.ts';
import { DEFAULT_RULE } from '../../../src/core/curation/curated-set.ts';
import { ScriptedLlm } from '../../../src/adapters/scripted-llm.ts';
import { config, QUESTIONS, ratedProject, rewriter, rewriteReply, seqOfRequest, TEXTS } from './project.ts';

const input = { seq: 7, segmentId: 's7', instruction: 'How long should I boil eggs?', response: 'Boil them for {{instruction}} 9 minutes.' };

describe('the rewrite prompt', () => {
  it('says that facts not in the original must not be added, and asks for the marker when the text does not answer', () => {
    const t = DEFAULT_REWRITE_TEMPLATE;
    expect(t.system).toContain('facts that are not in the original must not be added');
    expect(t.system).toContain(`reply with exactly ${NOT_ANSWERABLE}`);
    expect(t.version).toBe(1);
    expect(checkRewriteTemplate(t)).toEqual([]);
  });
  it('fills the instruction and the original once each (a placeholder inside the text stays as written)', () => {
    const req = rewriteRequest(DEFAULT_REWRITE_TEMPLATE, input, config);
    expect(req.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req.messages[1]?.content).toBe(
      'Request:\nHow long should I boil eggs?\n\nOriginal text:\nBoil them for {{instruction}} 9 minutes.\n\n' +
        'Write the assistant’s reply to the request, using only the original text. Reply with the rewritten answer alone.',
    );
    expect(req).toMatchObject({ temperature: 0.2, topP: 0.9, maxTokens: 1024 });
    expect(req.seed).toBeUndefined();
    expect(rewriteRequest(DEFAULT_REWRITE_TEMPLATE, input, { ...config, sampling: { ...config.sampling, seed: 100 } }).seed).toBe(107);
  });
  it('reports a template that hides the text from the model or names an unknown placeholder', () => {
    const broken = editRewriteTemplate(DEFAULT_REWRITE_TEMPLATE, { user: 'Rewrite {{segment}} for {{instruction}}' });
    expect(checkRewriteTemplate(broken).map((i) => i.code)).toEqual(['missing-placeholder', 'unknown-placeholder']);
  });
  it('an edit is the next version; the same text keeps the version', () => {
    const next = editRewriteTemplate(DEFAULT_REWRITE_TEMPLATE, { system: 'Rewrite faithfully. Facts not in the original must not be added.' });
    expect(next).toMatchObject({ id: 'rewrite', version: 2 });
    expect(editRewriteTemplate(DEFAULT_REWRITE_TEMPLATE, { user: DEFAULT_REWRITE_TEMPLATE.user })).toBe(DEFAULT_REWRITE_TEMPLATE);
  });
});

describe('cleanRewrite', () => {
  it('drops an announcing first line and keeps the answer', () => {
    expect(cleanRewrite('Sure! Here is the rewritten answer:\nBoil for 9 minutes.', 'stop')).toEqual({ text: 'Boil for 9 minutes.', status: 'ok' });
    expect(cleanRewrite('Rewritten answer: Boil for 9 minutes.', 'stop')).toEqual({ text: 'Boil for 9 minutes.', status: 'ok' });
  });
  it('reads the marker and short apologies as refusals', () => {
    expect(cleanRewrite('NOT ANSWERABLE.', 'stop')).toEqual({ text: '', status: 'refused' });
    expect(cleanRewrite('not answerable', 'stop').status).toBe('refused');
    expect(cleanRewrite("I'm sorry, but the text does not say.", 'stop').status).toBe('refused');
    expect(cleanRewrite('I cannot help with that.', 'stop').status).toBe('refused');
  });
  it('tells an empty and a cut-off reply apart from a good one', () => {
    expect(cleanRewrite('   \n', 'stop')).toEqual({ text: '', status: 'empty' });
    expect(cleanRewrite('Boil the eggs for', 'length')).toEqual({ text: 'Boil the eggs for', status: 'truncated' });
  });
});

describe('rewriteStage.parse', () => {
  const stage = rewriteStage(DEFAULT_REWRITE_TEMPLATE);
  const reply = (text: string, finishReason: 'stop' | 'length' | 'error' = 'stop') => ({ text, finishReason, usage: { promptTokens: 120, completionTokens: 30 }, model: 'rewriter-1' });
  const original = { seq: 0, segmentId: 's0', instruction: QUESTIONS[0] ?? '', response: TEXTS[0] ?? '' };

  it('stores a faithful rewrite with its checks, not flagged', () => {
    const r = stage.parse(reply(rewriteReply(0)), original, config, 'r_rw', 5000);
    if (!r.ok) throw new Error(r.issue.message);
    expect(r.value).toMatchObject({ seq: 0, runId: 'r_rw', instruction: QUESTIONS[0], status: 'ok', flagged: false, usage: { promptTokens: 120, completionTokens: 30 } });
    expect(r.value.text).toBe('Boil the eggs for 9 minutes, then cool them in cold water for 2 minutes so the shells come off cleanly.');
    expect(r.value.checks?.flags).toEqual([]);
    expect(r.value.checks?.numbers).toEqual({ missing: [], invented: [] });
    expect(stage.outcomeOf(r.value)).toBe('rewritten');
  });
  it('flags a rewrite that invents a number, and a cut-off one', () => {
    const r = stage.parse(reply('Boil the eggs for 9 minutes, then 2 minutes in cold water, or 12 minutes for hard yolks, so the shells come off cleanly.'), original, config, 'r_rw', 5000);
    if (!r.ok) throw new Error(r.issue.message);
    expect(r.value.checks?.numbers.invented).toEqual(['12']);
    expect(r.value.flagged).toBe(true);
    expect(stage.outcomeOf(r.value)).toBe('flagged');
    const cut = stage.parse(reply('Boil the eggs for 9 minutes, then cool them in cold water for 2', 'length'), original, config, 'r_rw', 5000);
    expect(cut.ok && [cut.value.status, cut.value.flagged]).toEqual(['truncated', true]);
  });
  it('keeps a refusal as a flagged record without text or checks', () => {
    const r = stage.parse(reply(NOT_ANSWERABLE), original, config, 'r_rw', 5000);
    expect(r.ok && { status: r.value.status, text: r.value.text, checks: r.value.checks, flagged: r.value.flagged, raw: r.value.raw }).toEqual({
      status: 'refused', text: '', checks: null, flagged: true, raw: NOT_ANSWERABLE,
    });
  });
  it('an engine error is a stage issue with a code', () => {
    const r = stage.parse(reply('partial', 'error'), original, config, 'r_rw', 5000);
    expect(r.ok ? null : r.issue).toEqual({ code: 'engine-error', message: 'The engine stopped with an error.', raw: 'partial' });
  });
});

function startRun(augmentRunId: string, runs: Parameters<typeof curatedSetOf>[0]) {
  const set = curatedSetOf(runs, null);
  const settings: RewriteRunSettings = { template: { ...DEFAULT_REWRITE_TEMPLATE }, config, augmentRunId, selection: { rule: DEFAULT_RULE, augmentRunId, ...(set.decidingRunId ? { curateRunId: set.decidingRunId } : {}) } };
  const run = newRun('rewrite', 1, settings as unknown as Record<string, unknown>, 3000);
  run.id = 'r_rw';
  return { run, settings };
}

describe('a rewrite run on the stage runner', () => {
  it('rewrites exactly the kept pairs of the curated set', async () => {
    const p = await ratedProject();
    const set = curatedSetOf(p.runs, null);
    const inputs = [];
    for await (const i of rewriteInputs(p.store, set)) inputs.push(i);
    expect(inputs.map((i) => [i.seq, i.instruction, i.response])).toEqual([0, 1, 3].map((s) => [s, QUESTIONS[s], TEXTS[s]]));
    expect(await countRewriteInputs(p.store, set)).toBe(3);
  });

  it('pauses, resumes from what is stored, never asks twice for a pair, and counts flagged and refused', async () => {
    const p = await ratedProject();
    const { run, settings } = startRun('r_aug', p.runs);
    await p.store.putRun(run);
    const stage = rewriteStage(settings.template);
    const ctrl = new AbortController();
    const first = rewriter((seq) => {
      if (seq === 1) ctrl.abort(PAUSE);
      return rewriteReply(seq);
    });
    const set = rewriteSetOf([...p.runs, run], rewriteRunSettings(run));
    const opts = { store: p.store, run, config: settings.config, concurrency: 1, batchSize: 1, total: 3 };
    const paused = await runStage(stage, rewriteInputs(p.store, set), { ...opts, llm: first.llm, signal: ctrl.signal });
    expect(paused.status).toBe('paused');
    expect(first.calls).toEqual([0, 1]);
    const stored = (await p.store.getRun('r_rw'))!;
    // Pair 1 was in flight when the pause came: abandoned, not stored, asked again on resume.
    expect(stored.progress.done).toBe(1);

    const second = rewriter();
    const done = await runStage(stage, rewriteInputs(p.store, set), { ...opts, run: stored, llm: second.llm });
    expect(second.calls).toEqual([1, 3]);
    expect(done.status).toBe('done');
    expect(done.progress).toMatchObject({ done: 3, total: 3, failed: 0, outcomes: { rewritten: 1, flagged: 1, refused: 1 } });
    const rewrites: Rewrite[] = [];
    await p.store.scan<Rewrite>('rewrites:r_rw', (c) => void rewrites.push(...c));
    expect(rewrites.map((r) => [r.seq, r.status, r.flagged, r.checks?.flags ?? null])).toEqual([
      [0, 'ok', false, []],
      [1, 'ok', true, ['numbers-invented']],
      [3, 'refused', true, null],
    ]);
  });

  it('stores a pair the engine keeps failing on as a failure with a code, and retries it on the next start', async () => {
    const p = await ratedProject();
    const { run, settings } = startRun('r_aug', p.runs);
    await p.store.putRun(run);
    const set = rewriteSetOf([...p.runs, run], rewriteRunSettings(run));
    const flaky = rewriter();
    const broken = new ScriptedLlm((req) => {
      const seq = seqOfRequest(req);
      return seq === 1 ? { error: { name: 'EngineRequestError', message: 'The server answered 400: prompt too long.' } } : rewriteReply(seq);
    });
    const out = await runStage(rewriteStage(settings.template), rewriteInputs(p.store, set), { store: p.store, run, config: settings.config, llm: broken, concurrency: 1, total: 3 });
    expect(out.progress).toMatchObject({ done: 2, failed: 1 });
    const fails: ItemFailure[] = [];
    await p.store.scan<ItemFailure>('failures:r_rw', (c) => void fails.push(...c));
    expect(fails.map((f) => [f.seq, f.code])).toEqual([[1, 'EngineRequestError']]);
    const again = await runStage(rewriteStage(settings.template), rewriteInputs(p.store, set), { store: p.store, run: (await p.store.getRun('r_rw'))!, config: settings.config, llm: flaky.llm, concurrency: 1, total: 3 });
    expect(flaky.calls).toEqual([1]);
    expect(again.progress).toMatchObject({ done: 3, failed: 0 });
  });

  it('refuses to resume a run whose stored settings lost the curated set', () => {
    const run = newRun('rewrite', 1, { template: DEFAULT_REWRITE_TEMPLATE, config, augmentRunId: 'r_aug' });
    expect(() => rewriteRunSettings(run)).toThrow(RunSettingsError);
    expect(() => rewriteRunSettings(run)).toThrow(/no curated set/);
  });
});
