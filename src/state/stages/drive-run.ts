/**
 * Drives one stored stage run through the runner (core/stages/runner.ts) with what started it:
 * its stage, template and config from `run.settings`, and — for a run measured with a tokenizer —
 * the same budgets, so every prompt is fitted as it was counted before the run began. Split out of
 * StagesState, which owns sessions (engine, live progress, notices); this only runs.
 */
import { augmentStage } from '../../core/stages/augment.ts';
import { curateStage } from '../../core/stages/curate.ts';
import { countCurateInputs } from '../../core/stages/inputs.ts';
import { augmentRunSettings, curateRunSettings } from '../../core/stages/run-settings.ts';
import { runStage, type StageProgress } from '../../core/stages/runner.ts';
import { rewriteStage } from '../../core/stages/rewrite.ts';
import { countRewriteInputs, rewriteInputs, rewriteRunSettings, rewriteSetOf } from '../../core/rewrite/run.ts';
import { rewriteBudget } from '../../core/rewrite/budget.ts';
import { augmentBudget, curateBudget, keptSegments } from '../../core/tokens/stage-requests.ts';
import { budgetedStage, curateInputsAsSent, promptTokensOf, readRunBudget, skipOverLong } from '../../core/tokens/stage-budget.ts';
import type { Run } from '../../core/records.ts';
import type { Llm } from '../../ports/llm.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { TokenizerMismatchError } from './stage-budget.svelte.ts';
import type { StagesOptions } from './stages.svelte.ts';

export interface DriveOptions extends Pick<StagesOptions, 'runner' | 'budgets' | 'keep'> {
  onProgress: (p: StageProgress) => void;
}

export async function driveRun(store: ProjectStore, run: Run, llm: Llm, signal: AbortSignal, options: DriveOptions): Promise<void> {
  const stage = run.stage;
  const common = { llm, store, run, signal, onProgress: options.onProgress, ...options.runner };
  // A run measured with a tokenizer goes on with the same one: each prompt fitted as counted before it started.
  const budget = readRunBudget(run.settings);
  const budgets = budget ? options.budgets : undefined;
  if (budget && !budgets) throw new TokenizerMismatchError(budget.tokenizer.name, null);
  if (budget && budgets) await budgets.check(budget);
  const fitted = budget && budgets ? { budget, budgets, hooks: { skip: skipOverLong, weigh: promptTokensOf, totalWeight: budget.promptTokens } } : null;
  if (stage === 'augment') {
    const settings = augmentRunSettings(run);
    const keep = (await options.keep?.()) ?? null;
    const total = keep ? keep.size : (await store.info('segments')).count;
    const opts = { ...common, config: settings.config, total };
    if (fitted) await runStage(budgetedStage(augmentStage(settings.template)), fitted.budgets.apply(fitted.budget, augmentBudget(settings, store, keep), signal), { ...opts, ...fitted.hooks });
    else await runStage(augmentStage(settings.template), keptSegments(store, keep), opts);
  } else if (stage === 'rewrite') {
    const settings = rewriteRunSettings(run);
    const set = rewriteSetOf(await store.listRuns(), settings);
    const opts = { ...common, config: settings.config, total: await countRewriteInputs(store, set, signal) };
    const rewrite = rewriteStage(settings.template);
    if (fitted) await runStage(budgetedStage(rewrite), fitted.budgets.apply(fitted.budget, rewriteBudget(settings, store, set), signal), { ...opts, ...fitted.hooks });
    else await runStage(rewrite, rewriteInputs(store, set), opts);
  } else {
    const settings = curateRunSettings(run);
    const total = await countCurateInputs(store, settings.augmentRunId, settings.only);
    const opts = { ...common, config: settings.config, total };
    if (fitted) await runStage(budgetedStage(curateStage(settings.template)), fitted.budgets.apply(fitted.budget, curateBudget(settings, store), signal), { ...opts, ...fitted.hooks });
    else await runStage(curateStage(settings.template), curateInputsAsSent(store, settings.augmentRunId, settings.only), opts);
  }
}
