/**
 * A project written by schema 1 — decisions stored on ratings, edits replacing the candidate's
 * instruction — in real IndexedDB, with exactly the record shapes the schema-1 code wrote. Opening
 * it migrates once, and every decision and edit is intact: the review shows them, a new round
 * cannot undo them, and opening again changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { SCHEMA_META_KEY } from '../../../src/core/curation/migrate.ts';
import { pairsBySeq } from '../../../src/core/curation/walk.ts';
import { newProject, type HumanDecision, type Project } from '../../../src/core/records.ts';
import { Notices } from '../../../src/state/project/notices.svelte.ts';
import { ProjectState } from '../../../src/state/project/project.svelte.ts';
import { currentSet } from '../../../src/state/review/curation.ts';

const catalog = new IdbCatalog();
const made: Project[] = [];
afterEach(async () => {
  for (const p of made.splice(0)) await catalog.deleteProject(p.id);
});

// Schema-1 shapes, written out as the code of that version wrote them (records.ts at schemaVersion 1).
const v1Segment = (seq: number) => ({ schemaVersion: 1, seq, id: `s${seq}`, text: `Passage ${seq}.`, chars: 10, hash: `h${seq}`, provenance: { docId: 'd', path: 'a.md', headers: [], offset: 0 } });
const v1Candidate = (seq: number, instruction: string, edited = false) => ({
  schemaVersion: 1, seq, segmentId: `s${seq}`, runId: 'r_aug', instruction, raw: edited ? `Model Q${seq}?` : instruction, status: 'ok',
  provenance: { model: { engine: 'scripted', model: 'b' }, promptVersion: 1, stageVersion: 1, sampling: { temperature: 0.7, topP: 0.9, maxTokens: 64 }, mode: 'finetuned' },
  ...(edited ? { edited: true } : {}), createdAt: 1000,
});
const v1Rating = (seq: number, runId: string, round: number, score: number, decision?: 'accept' | 'reject') => ({
  schemaVersion: 1, seq, segmentId: `s${seq}`, runId, round, score, reason: 'r', raw: `r\nScore: ${score}`, parse: 'parsed',
  curator: { model: { engine: 'scripted', model: 'f' }, promptVersion: 1, stageVersion: 1, mode: 'reasoned' }, ...(decision ? { decision } : {}), createdAt: 2000 + round,
});
const v1Run = (id: string, stage: string, createdAt: number, settings: Record<string, unknown>, round?: number) => ({
  schemaVersion: 1, id, stage, stageVersion: 1, status: 'done', settings, ...(round === undefined ? {} : { round }),
  progress: { done: 4, total: 4, failed: 0, outcomes: {}, tokens: 0, startedAt: createdAt, updatedAt: createdAt }, createdAt,
});

describe('opening a schema-1 project', () => {
  it('migrates every decision and edit into decision records, once', async () => {
    const project = newProject('Old project');
    made.push(project);
    await catalog.putProject(project);
    const store = await catalog.openProject(project.id);
    // Schema-1 records on purpose: they are what an old database holds. Records may say schemaVersion 1; a v1 run (stage typed as a plain string) may not.
    await store.put('segments', [0, 1, 2, 3].map(v1Segment));
    await store.put('candidates:r_aug', [v1Candidate(0, 'Q0?'), v1Candidate(1, 'Q1?'), v1Candidate(2, 'My own Q2?', true), v1Candidate(3, 'Q3?')]);
    // @ts-expect-error as above
    await store.putRun(v1Run('r_aug', 'augment', 1000, {}));
    // @ts-expect-error as above
    await store.putRun(v1Run('r_m0', 'curate', 2000, { augmentRunId: 'r_aug', config: { round: 0 } }, 0));
    await store.put('ratings:r_m0', [v1Rating(0, 'r_m0', 0, 5, 'reject'), v1Rating(1, 'r_m0', 0, 2, 'accept'), v1Rating(2, 'r_m0', 0, 4), v1Rating(3, 'r_m0', 0, 4)]);
    // Round 1 rated the rejected pair 5 and the accepted one 1: under schema 1, both decisions were lost.
    // @ts-expect-error as above
    await store.putRun(v1Run('r_m1', 'curate', 3000, { augmentRunId: 'r_aug', config: { round: 1 } }, 1));
    await store.put('ratings:r_m1', [v1Rating(0, 'r_m1', 1, 5), v1Rating(1, 'r_m1', 1, 1), v1Rating(2, 'r_m1', 1, 4), v1Rating(3, 'r_m1', 1, 2, 'reject')]);
    await store.close();

    const ps = new ProjectState(project, catalog, new Notices());
    const opened = await ps.open();
    if (!opened) throw new Error('the project did not open');
    expect(await opened.getMeta(SCHEMA_META_KEY)).toBe(2);
    const decisions = await opened.get<HumanDecision>('decisions:r_aug', [0, 1, 2, 3]);
    expect(decisions.map((d) => d && { verdict: d.verdict, round: d.round, instruction: d.instruction })).toEqual([
      { verdict: 'reject', round: 0, instruction: undefined },
      { verdict: 'accept', round: 0, instruction: undefined },
      { verdict: undefined, round: null, instruction: 'My own Q2?' },
      { verdict: 'reject', round: 1, instruction: undefined },
    ]);
    const set = currentSet(ps, await opened.listRuns());
    expect(set.decidingRunId).toBe('r_m1');
    const pairs = await pairsBySeq(opened, set, [0, 1, 2, 3]);
    expect(pairs.map((p) => [p.status, p.human, p.instruction])).toEqual([
      ['rejected', true, 'Q0?'],
      ['kept', true, 'Q1?'],
      ['kept', false, 'My own Q2?'], // the edit predates both ratings, as it did for schema 1
      ['rejected', true, 'Q3?'],
    ]);
    // Opening again changes nothing (the migration ran once and is recorded).
    await opened.put('decisions:r_aug', [{ ...(decisions[0] as HumanDecision), verdict: 'accept' }]);
    const again = new ProjectState(project, catalog, new Notices());
    const store2 = await again.open();
    expect((await store2?.get<HumanDecision>('decisions:r_aug', [0]))?.[0]?.verdict).toBe('accept');
    await opened.close();
    await store2?.close();
  });
});
