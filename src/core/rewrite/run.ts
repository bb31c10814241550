/**
 * A rewrite run's stored settings and its inputs. The run rewrites the kept pairs of the curated
 * set it was started on: its settings keep that set's choice (curated-set.ts `choiceOf`), so a
 * resume after a reload walks the same set again — with the person's decisions as they are now —
 * and the runner skips every pair already rewritten. Inputs are streamed a stored chunk at a time.
 */
import type { Run, Segment } from '../records.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { curatedSetOf, readChoice, type CuratedSet, type CurationChoice } from '../curation/curated-set.ts';
import { pairsOf, walkPairs } from '../curation/walk.ts';
import type { CuratedPair } from '../curation/pair.ts';
import { chunksOf } from '../stages/inputs.ts';
import { RunSettingsError } from '../stages/run-settings.ts';
import type { RewriteConfig, RewriteInput, RewriteTemplate } from '../stages/rewrite.ts';

export interface RewriteRunSettings {
  template: RewriteTemplate;
  config: RewriteConfig;
  /** The generation run whose kept pairs are rewritten (also what `ratedRunOf` reads). */
  augmentRunId: string;
  /** The curated set the run was started on. */
  selection: CurationChoice;
}

export function rewriteRunSettings(run: Run): RewriteRunSettings {
  const { template, config, augmentRunId, selection } = run.settings as Partial<RewriteRunSettings>;
  if (run.stage !== 'rewrite') throw new RunSettingsError(run.id, `it is a ${run.stage} run`);
  if (!template || template.id !== 'rewrite' || typeof template.version !== 'number' || typeof template.user !== 'string' || typeof template.system !== 'string') {
    throw new RunSettingsError(run.id, 'no prompt template');
  }
  if (!config || typeof config.model?.model !== 'string' || typeof config.limits?.minContentKept !== 'number') throw new RunSettingsError(run.id, 'no model or check limits');
  const choice = readChoice(selection);
  if (typeof augmentRunId !== 'string' || !choice) throw new RunSettingsError(run.id, 'no curated set');
  return { template, config, augmentRunId, selection: { ...choice, augmentRunId } };
}

/** The set a rewrite run works on, read from the stored runs (the same set it was started on). */
export function rewriteSetOf(runs: readonly Run[], settings: RewriteRunSettings): CuratedSet {
  return curatedSetOf(runs, settings.selection);
}

const inputOf = (p: CuratedPair): RewriteInput => ({ seq: p.seq, segmentId: p.segment.id, instruction: p.instruction, response: p.response });

/** The kept pairs of `set` as rewrite inputs, in seq order, a chunk at a time. */
export async function* rewriteInputs(store: ProjectStore, set: CuratedSet): AsyncGenerator<RewriteInput> {
  if (!set.source) return;
  for await (const segments of chunksOf<Segment>(store, 'segments')) {
    for (const p of await pairsOf(store, set, segments)) if (p.status === 'kept') yield inputOf(p);
  }
}

/** How many pairs `rewriteInputs` yields, for progress and ETA. */
export async function countRewriteInputs(store: ProjectStore, set: CuratedSet, signal?: AbortSignal): Promise<number> {
  let n = 0;
  await walkPairs(store, set, (pairs) => void (n += pairs.filter((p) => p.status === 'kept').length), signal);
  return n;
}
