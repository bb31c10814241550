/**
 * What a stage run stores about itself in `Run.settings`, so it can be resumed after a reload
 * with exactly what started it: the template (text and version), the stage config (model,
 * sampling, the k examples of prompted mode, round, constrained decoding) and, for a rating run,
 * which candidates it rates. Nothing here depends on the form the user is editing now: a template
 * edited after the run started does not change the run (it becomes the next run's version).
 */
import { HumpbackError } from '../errors.ts';
import type { ModelRef, Run } from '../records.ts';
import { augmentMode } from './augment.ts';
import { curateMode } from './curate.ts';
import type { PromptTemplate } from './prompts.ts';
import type { AugmentConfig, AugmentMode, CurateConfig, CurateMode } from './stage.ts';

export interface AugmentRunSettings {
  template: PromptTemplate;
  config: AugmentConfig;
}

export interface CurateRunSettings {
  template: PromptTemplate;
  config: CurateConfig;
  /** The augmentation run whose candidates this run rates. */
  augmentRunId: string;
  /** 'edited': only the pairs in `only` (edited by hand since their rating); absent means every usable pair. */
  scope?: 'all' | 'edited';
  only?: number[];
}

export class RunSettingsError extends HumpbackError {
  constructor(runId: string, detail: string) {
    super('RunSettingsError', `Run ${runId} cannot be resumed: its stored settings are incomplete (${detail}). Start a new run instead; its results so far stay as they are.`);
  }
}

export class RunModelMismatchError extends HumpbackError {
  constructor(runId: string, wanted: ModelRef, loaded: ModelRef) {
    super(
      'RunModelMismatchError',
      `Run ${runId} was started with ${wanted.model} (${wanted.engine}), but ${loaded.model} (${loaded.engine}) is loaded now. ` +
        `Every result records the model that made it, so a run keeps one model: load ${wanted.model} to resume, or start a new run with the loaded model.`,
    );
  }
}

const isTemplate = (t: unknown): t is PromptTemplate =>
  typeof t === 'object' && t !== null && typeof (t as PromptTemplate).id === 'string' && typeof (t as PromptTemplate).version === 'number' &&
  typeof (t as PromptTemplate).user === 'string' && typeof (t as PromptTemplate).system === 'string';

const isModel = (m: unknown): m is ModelRef => typeof m === 'object' && m !== null && typeof (m as ModelRef).model === 'string' && typeof (m as ModelRef).engine === 'string';

export function augmentRunSettings(run: Run): AugmentRunSettings {
  const { template, config } = run.settings as Partial<AugmentRunSettings>;
  if (run.stage !== 'augment') throw new RunSettingsError(run.id, `it is a ${run.stage} run`);
  if (!isTemplate(template)) throw new RunSettingsError(run.id, 'no prompt template');
  if (!config || !isModel(config.model) || !Array.isArray(config.examples)) throw new RunSettingsError(run.id, 'no model or examples');
  return { template, config };
}

export function curateRunSettings(run: Run): CurateRunSettings {
  const { template, config, augmentRunId, scope, only } = run.settings as Partial<CurateRunSettings>;
  if (run.stage !== 'curate') throw new RunSettingsError(run.id, `it is a ${run.stage} run`);
  if (!isTemplate(template)) throw new RunSettingsError(run.id, 'no prompt template');
  if (!config || !isModel(config.model) || typeof config.round !== 'number') throw new RunSettingsError(run.id, 'no model or round');
  if (typeof augmentRunId !== 'string') throw new RunSettingsError(run.id, 'no candidates run');
  if (scope === 'edited') {
    if (!Array.isArray(only) || !only.every((s) => Number.isInteger(s))) throw new RunSettingsError(run.id, 'no list of edited pairs');
    return { template, config, augmentRunId, scope, only };
  }
  return { template, config, augmentRunId };
}

/** The model a stage run records on every result. */
export function runModel(run: Run): ModelRef | undefined {
  const m = (run.settings as { config?: { model?: unknown } }).config?.model;
  return isModel(m) ? m : undefined;
}

/** The run's mode in the user's words' keys ('finetuned' | 'prompted' | 'reasoned' | 'fast'), if readable. */
export function runMode(run: Run): AugmentMode | CurateMode | undefined {
  const t = (run.settings as { template?: unknown }).template;
  if (!isTemplate(t)) return undefined;
  if (run.stage === 'augment') return augmentMode(t);
  return run.stage === 'curate' ? curateMode(t) : undefined;
}

/** Refuses to resume a run with another model than the one that started it. */
export function checkRunModel(run: Run, loaded: ModelRef): void {
  const wanted = runModel(run);
  if (wanted && (wanted.engine !== loaded.engine || wanted.model !== loaded.model)) throw new RunModelMismatchError(run.id, wanted, loaded);
}

/** Tokens a run spent per finished item (prompt + reply), or null before the first. */
export function tokensPerItem(run: Run): number | null {
  return run.progress.done > 0 ? run.progress.tokens / run.progress.done : null;
}

/** Why a run cannot start yet, each saying which step to do first. */
export class NothingToDoError extends HumpbackError {
  constructor(what: 'segments' | 'seeds' | 'candidates' | 'edited' | 'kept') {
    const message = {
      segments: 'There are no corpus segments to write instructions for. Add documents in the Corpus step first.',
      seeds: 'Prompted mode shows the model reversed seed pairs as examples, and this project has none that fit. Import seed pairs in the Seed step, or use a fine-tuned backward model.',
      candidates: 'The chosen generation run has no usable instructions to rate. Run "Generate instructions" first, or pick another run.',
      edited: 'No pair waits for a rating: none was edited since it was rated. Edit instructions in Review first (press e on a pair).',
      kept: 'The curated set has no kept pairs to rewrite. Rate the pairs first (the Rate step), or lower the threshold there.',
    }[what];
    super('NothingToDoError', message);
  }
}
