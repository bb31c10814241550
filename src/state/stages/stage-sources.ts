/**
 * Where the stages get their engines and few-shot examples in the app: the engine the user chose
 * in the engine panel for each role (loaded on first use, shared when both roles pick one model),
 * and the k reversed seed examples chosen in the Seed step (loadExemplars). Tests build StagesState with their own sources instead.
 */
import { EngineNotChosenError } from '../../core/engines/choice.ts';
import { EngineState } from '../engines/engines.svelte.ts';
import type { ProjectState } from '../project/project.svelte.ts';
import { loadExemplars } from '../seed/seeds.svelte.ts';
import { SegmentFilters } from '../corpus/segment-filters.svelte.ts';
import { StageBudgets } from './stage-budget.svelte.ts';
import { TokenState } from '../tokens/tokens.svelte.ts';
import type { EngineSource, StagesOptions } from './stages.svelte.ts';

export function engineSource(engines: EngineState): EngineSource {
  return async (role, signal) => {
    const llm = await engines.llm(role, { signal });
    // The choice is read after the load: it is the one the loaded model was built from.
    const choice = engines.choice(role);
    if (!choice) throw new EngineNotChosenError(role);
    return { llm, model: { engine: choice.engine, model: choice.model } };
  };
}

/** The project's token budgets over its tokenizer (one of each per open project). */
export function appStageBudgets(ps: ProjectState): StageBudgets {
  const tokens = ps.part('tokens', (p) => new TokenState(p));
  return ps.part('stageBudgets', (p) => new StageBudgets(p, tokens));
}

/** The corpus filters by token length and meaning (one per open project), shared by the Corpus step and the stages. */
export function appSegmentFilters(ps: ProjectState): SegmentFilters {
  const tokens = appStageBudgets(ps).tokens;
  return ps.part('segmentFilters', (p) => new SegmentFilters(p, tokens));
}

/** The stages' sources in the app: the project's engines part, its seed pairs and its token budgets. */
export function appStageSources(ps: ProjectState): StagesOptions {
  const engines = ps.part('engines', (p) => new EngineState(p));
  const filters = appSegmentFilters(ps);
  return { engine: engineSource(engines), exemplars: () => loadExemplars(ps), budgets: appStageBudgets(ps), keep: () => filters.keep() };
}
