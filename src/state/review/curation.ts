/**
 * The curated set of the open project, as every step reads it: the project setting 'selection'
 * (what the user chose) resolved against the stored runs by core's one definition
 * (core/curation/curated-set.ts). Changing the choice anywhere — the Rate step, Export — goes
 * through `saveChoice`, so every step sees the change. Plain TS (no runes).
 */
import { choiceOf, curatedSetOf, readChoice, type CuratedSet, type CurationChoice } from '../../core/curation/curated-set.ts';
import type { Run } from '../../core/records.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export const CHOICE_SETTING = 'selection';

/** The saved choice, or null while the default holds. */
export function savedChoice(ps: ProjectState): CurationChoice | null {
  return readChoice(ps.setting<unknown>(CHOICE_SETTING, null));
}

/** The curated set for these runs (the project's stored runs). */
export function currentSet(ps: ProjectState, runs: readonly Run[]): CuratedSet {
  return curatedSetOf(runs, savedChoice(ps));
}

/** Reads the runs from the store and resolves the set. */
export async function loadSet(ps: ProjectState): Promise<CuratedSet | null> {
  const store = await ps.open();
  return store ? currentSet(ps, await store.listRuns()) : null;
}

/**
 * Saves a change to one part of the choice; the rest stays what the set is now. The rating run
 * is pinned only when `patch` names one: otherwise the latest round keeps deciding as rounds come.
 */
export async function saveChoice(ps: ProjectState, set: CuratedSet, patch: Partial<CurationChoice>): Promise<void> {
  const before = savedChoice(ps);
  const next = choiceOf(set, patch);
  if (!('curateRunId' in patch) && !before?.curateRunId) delete next.curateRunId;
  if (!('augmentRunId' in patch) && !before?.augmentRunId) delete next.augmentRunId;
  await ps.saveSetting(CHOICE_SETTING, next);
}
