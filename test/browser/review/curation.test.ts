/**
 * Which pairs every step reads — the curated set: core's `curatedSetOf` resolves the saved
 * choice (or the default) against the runs, and state/review/curation.ts reads and saves that
 * choice as the project setting 'selection'. Before the curated set, Review and Export took
 * "the newest generation run plus every rating run after it", so a small trial run swapped the
 * pool and a rating run of another generation run was mixed in; these tests pin the new rule.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { curatedSetOf, readChoice } from '../../../src/core/curation/curated-set.ts';
import { newRun, type Run } from '../../../src/core/records.ts';
import { CHOICE_SETTING, currentSet, loadSet, saveChoice, savedChoice } from '../../../src/state/review/curation.ts';
import { closeAll, generatedProject } from './fixture.ts';

afterAll(closeAll);

const run = (id: string, stage: Run['stage'], at: number, extra: Partial<Run> = {}, settings: Record<string, unknown> = {}): Run => ({ ...newRun(stage, 1, settings, at), id, ...extra });
const rating = (id: string, at: number, augmentRunId: string, round: number, scope?: 'edited'): Run =>
  run(id, 'curate', at, { round }, { augmentRunId, config: { round }, ...(scope ? { scope, only: [] } : {}) });

const aug1 = run('a1', 'augment', 10);
const aug2 = run('a2', 'augment', 20);
const m0 = rating('c0', 30, 'a2', 0);
const m1 = rating('c1', 40, 'a2', 1);
const m0again = rating('c0b', 50, 'a2', 0);
/** Rates the older generation run, after a2 was made: never part of a2's set. */
const other = rating('cx', 55, 'a1', 0);
/** A small trial generation run nobody rated yet. */
const trial = run('a3', 'augment', 60);
const runs = [m1, aug1, other, m0again, aug2, m0, trial];

describe('curatedSetOf', () => {
  it('follows the saved choice: the chosen run alone decides, every round of the run is shown', () => {
    const set = curatedSetOf(runs, { augmentRunId: 'a2', curateRunId: 'c0', rule: { by: 'expected', threshold: 4.5 } });
    expect(set).toEqual({
      chosen: true,
      augmentRunId: 'a2',
      decidingRunId: 'c0',
      round: 0,
      rule: { by: 'expected', threshold: 4.5 },
      includeSeeds: true,
      source: {
        candidates: 'candidates:a2',
        ratings: ['ratings:c0', 'ratings:c0b', 'ratings:c1'],
        failures: ['failures:a2', 'failures:c0', 'failures:c0b', 'failures:c1'],
        decisions: 'decisions:a2',
      },
      deciders: ['c0'],
      rounds: [{ runId: 'c0', round: 0, scope: 'all' }, { runId: 'c0b', round: 0, scope: 'all' }, { runId: 'c1', round: 1, scope: 'all' }],
      rewriteRunId: null,
      responses: 'original',
      label: 'generation run of 1970-01-01 00:00 UTC, round (M0), A5 (expected score ≥ 4.5), seed pairs included',
    });
  });

  it('without a choice: the latest rated generation run (not a newer unrated trial), its latest round, A4, seeds in', () => {
    const set = curatedSetOf(runs, null);
    expect(set).toMatchObject({ chosen: false, augmentRunId: 'a2', decidingRunId: 'c1', round: 1, deciders: ['c1'], rule: { by: 'score', threshold: 4 }, includeSeeds: true });
    expect(set.source?.ratings).toEqual(['ratings:c0', 'ratings:c0b', 'ratings:c1']);
    expect(set.label).toBe('latest rated generation run, latest round (M1), A4 (score ≥ 4), seed pairs included');
    // a new round decides as soon as it exists, unless the user pinned a run
    const m2 = rating('c2', 70, 'a2', 2);
    expect(curatedSetOf([...runs, m2], null).deciders).toEqual(['c2']);
    expect(curatedSetOf([...runs, m2], { augmentRunId: 'a2', curateRunId: 'c1', rule: { by: 'score', threshold: 4 } }).deciders).toEqual(['c1']);
  });

  it('lets "edited pairs" runs of the deciding round, started after it, follow it; others never decide', () => {
    const before = rating('e-before', 35, 'a2', 1, 'edited');
    const after = rating('e-after', 80, 'a2', 1, 'edited');
    const round0 = rating('e-round0', 90, 'a2', 0, 'edited');
    const set = curatedSetOf([...runs, after, before, round0], null);
    expect(set.deciders).toEqual(['c1', 'e-after']);
    expect(set.rounds.filter((r) => r.scope === 'edited').map((r) => r.runId)).toEqual(['e-round0', 'e-before', 'e-after']);
    // an edited-pairs run alone does not make its generation run "rated"
    expect(curatedSetOf([aug1, aug2, rating('e', 30, 'a2', 0, 'edited')], null)).toMatchObject({ augmentRunId: 'a2', decidingRunId: null, deciders: [] });
  });

  it('is the seed pairs alone for a project with nothing generated, and a stale choice falls back to the default', () => {
    expect(curatedSetOf([], null)).toMatchObject({ augmentRunId: null, source: null, deciders: [], label: 'seed pairs only (nothing generated yet), seed pairs included' });
    const stale = curatedSetOf([aug1], { augmentRunId: 'gone', curateRunId: 'c0', rule: { by: 'score', threshold: 5 }, includeSeeds: false });
    expect(stale).toMatchObject({ chosen: true, augmentRunId: 'a1', decidingRunId: null, rule: { by: 'score', threshold: 5 }, includeSeeds: false });
    expect(stale.label).toBe('latest generation run, not rated yet, score ≥ 5, seed pairs left out');
    // a rating run of another generation run cannot be pinned
    expect(curatedSetOf(runs, { augmentRunId: 'a2', curateRunId: 'cx', rule: { by: 'score', threshold: 4 } }).deciders).toEqual(['c1']);
  });

  it('reads a saved choice, dropping what is malformed', () => {
    expect(readChoice({ augmentRunId: 'a', curateRunId: 'c', rule: { by: 'median', threshold: 4 } })).toBeNull();
    expect(readChoice({ rule: { by: 'score', threshold: Number.NaN } })).toBeNull();
    expect(readChoice('a2')).toBeNull();
    expect(readChoice(null)).toBeNull();
    expect(readChoice({ augmentRunId: 7, curateRunId: 'c', includeSeeds: 'yes', rule: { by: 'score', threshold: 3, extra: 1 } })).toEqual({ curateRunId: 'c', rule: { by: 'score', threshold: 3 } });
  });
});

describe('the project\'s curation choice (state/review/curation.ts)', () => {
  it('saves a change to one part, keeps the rest, and pins a rating run only when one is named', async () => {
    const g = await generatedProject(40);
    expect(savedChoice(g.ps)).toBeNull();
    const first = await loadSet(g.ps);
    expect(first).toMatchObject({ chosen: false, augmentRunId: g.augment.id, decidingRunId: g.round1.id, round: 1 });
    if (!first) throw new Error('no set');

    // Export's threshold: the rule changes, the run is not pinned.
    await saveChoice(g.ps, first, { rule: { by: 'expected', threshold: 4.5 } });
    expect(savedChoice(g.ps)).toEqual({ rule: { by: 'expected', threshold: 4.5 }, includeSeeds: true });
    expect(g.ps.setting(CHOICE_SETTING, null)).toEqual({ rule: { by: 'expected', threshold: 4.5 }, includeSeeds: true });
    const store = g.ps.store;
    if (!store) throw new Error('no store');
    const round2 = { ...newRun('curate', 1, { augmentRunId: g.augment.id, config: { round: 2 } }, 1003), round: 2, status: 'done' as const };
    await store.putRun(round2);
    // unpinned: the new round decides at once, with the saved rule
    expect(await loadSet(g.ps)).toMatchObject({ chosen: true, decidingRunId: round2.id, round: 2, rule: { by: 'expected', threshold: 4.5 } });

    // The Rate step picks round 0: pinned, and a later change of seeds keeps the pin.
    const now = currentSet(g.ps, await store.listRuns());
    await saveChoice(g.ps, now, { augmentRunId: g.augment.id, curateRunId: g.round0.id });
    await saveChoice(g.ps, currentSet(g.ps, await store.listRuns()), { includeSeeds: false });
    expect(savedChoice(g.ps)).toEqual({ augmentRunId: g.augment.id, curateRunId: g.round0.id, rule: { by: 'expected', threshold: 4.5 }, includeSeeds: false });
    const pinned = await loadSet(g.ps);
    expect(pinned).toMatchObject({ decidingRunId: g.round0.id, deciders: [g.round0.id], round: 0, includeSeeds: false });
    expect(pinned?.label).toBe('generation run of 1970-01-01 00:00 UTC, round (M0), A5 (expected score ≥ 4.5), seed pairs left out');
  });
});
