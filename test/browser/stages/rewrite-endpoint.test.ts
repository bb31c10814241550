/**
 * The rewrite stage (issue 19) through the real endpoint engine (OpenAiEndpoint over HTTP to the
 * test chat server, which rewrites faithfully and invents a number for originals of odd length)
 * into real IndexedDB, driven by the state the UI uses: one rewrite per kept pair of the curated
 * set, each with its checks; pause, then a fresh page resumes without asking again for anything
 * stored; the export follows the set's choice of responses.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { currentSet, saveChoice } from '../../../src/state/review/curation.ts';
import { pairsOf } from '../../../src/core/curation/walk.ts';
import { writeExport } from '../../../src/core/export/stream.ts';
import { REWRITE_TAG } from '../../../src/core/export/writers.ts';
import type { Rewrite, Run, Segment } from '../../../src/core/records.ts';
import { StagesState } from '../../../src/state/stages/stages.svelte.ts';
import { INVENTED, LEAD_IN, inventsForOddLength } from '../../support/rewrite-replies.ts';
import { all, cleanup, makeProject, openProject, watchedEndpoint, type WatchedLlm, type TestProject } from './helpers.ts';

const MODEL = { engine: 'openai' as const, model: 'test-model' };
afterAll(cleanup);

const endpoint = (before?: (n: number) => void): Promise<WatchedLlm> => watchedEndpoint(inject('chatServerUrl'), before);

const stagesFor = (t: TestProject, llm: WatchedLlm) =>
  new StagesState(t.ps, { engine: async () => ({ llm, model: MODEL }), exemplars: async () => [], runner: { batchSize: 2, concurrency: 1 } });

/** Generates and rates 12 segments through the endpoint; returns the kept pairs' seqs and texts. */
async function ratedProject(): Promise<{ t: TestProject; kept: Map<number, string> }> {
  const t = await makeProject(12);
  const stages = stagesFor(t, await endpoint());
  await stages.load();
  stages.augmentForm.values.mode = 'finetuned';
  expect((await stages.startAugment())?.status).toBe('done');
  expect((await stages.startCurate())?.status).toBe('done');
  const set = currentSet(t.ps, await t.store.listRuns());
  const pairs = await pairsOf(t.store, set, await all<Segment>(t.store, 'segments'));
  const kept = new Map(pairs.filter((p) => p.status === 'kept').map((p) => [p.seq, p.response]));
  return { t, kept };
}

describe('the rewrite stage through the endpoint engine into IndexedDB', () => {
  it('rewrites each kept pair once, flags the invented numbers, and resumes after a pause on a fresh page', async () => {
    const { t, kept } = await ratedProject();
    expect(kept.size).toBeGreaterThanOrEqual(3);
    const odd = [...kept.values()].filter((r) => inventsForOddLength(0, r)).length;
    expect(odd).toBeGreaterThan(0);
    expect(odd).toBeLessThan(kept.size);

    let stages: StagesState | undefined;
    const first = await endpoint((n) => {
      if (n === 3) stages?.pause('rewrite');
    });
    stages = stagesFor(t, first);
    await stages.load();
    const paused = (await stages.startRewrite()) as Run;
    expect(t.notices.items).toEqual([]);
    expect(paused.status).toBe('paused');
    expect(paused.progress.done).toBe(2);

    const reloaded = await openProject(t.project);
    const second = await endpoint();
    const again = stagesFor(reloaded, second);
    await again.load();
    const done = (await again.resume(paused.id)) as Run;
    expect(reloaded.notices.items).toEqual([]);
    expect(done.status).toBe('done');
    // Only the pairs not stored yet were asked for: no doubled request, no doubled result.
    expect(second.requests).toHaveLength(kept.size - 2);
    expect(done.progress).toMatchObject({ done: kept.size, total: kept.size, failed: 0, outcomes: { rewritten: kept.size - odd, flagged: odd } });

    const rewrites = await all<Rewrite>(reloaded.store, `rewrites:${paused.id}`);
    expect(rewrites.map((r) => r.seq)).toEqual([...kept.keys()]);
    for (const r of rewrites) {
      const original = kept.get(r.seq) ?? '';
      const invented = inventsForOddLength(0, original);
      expect(r.text).toBe(LEAD_IN + original.trim() + (invented ? INVENTED : ''));
      expect(r).toMatchObject({ status: 'ok', flagged: invented, provenance: { model: MODEL, stageVersion: 1 } });
      expect(r.checks?.flags).toEqual(invented ? ['numbers-invented'] : []);
      expect(r.checks?.contentKept).toBe(1);
    }
  });

  it('exports the rewrites under "rewritten", the originals for the flagged ones', async () => {
    const { t, kept } = await ratedProject();
    const stages = stagesFor(t, await endpoint());
    await stages.load();
    expect((await stages.startRewrite())?.status).toBe('done');
    await saveChoice(t.ps, currentSet(t.ps, await t.store.listRuns()), { responses: 'rewritten', includeSeeds: false });
    const set = currentSet(t.ps, await t.store.listRuns());
    expect(set.responses).toBe('rewritten');
    const parts: string[] = [];
    const decoder = new TextDecoder();
    await writeExport(t.store, set, { format: 'messages', sourceTags: true, statuses: ['kept'] }, async (b) => void parts.push(decoder.decode(b)));
    const lines = parts.join('').trim().split('\n').map((l) => JSON.parse(l) as { messages: { content: string }[] });
    const expected = [...kept.values()].map((original) =>
      inventsForOddLength(0, original) ? ['Answer with knowledge from web search.', original] : [REWRITE_TAG, LEAD_IN + original.trim()],
    );
    expect(lines.map((l) => [l.messages[0]?.content, l.messages[2]?.content])).toEqual(expected);
  });
});
