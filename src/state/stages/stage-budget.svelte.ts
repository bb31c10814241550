/**
 * Token budgets of the two model stages for one open project: the user's choice for texts too long
 * for the model's context (cut at a sentence end, or skip), the last measurement of each stage's
 * prompts (shown as fits / cut / skipped before a run starts), and the measuring in progress.
 * The stages call `plan` when a run starts (its result is recorded in `run.settings.budget`) and
 * `apply` while it runs; with no tokenizer loaded both step aside and runs go as before.
 *
 * Project setting this class owns: `tokenBudget` = `Record<'augment' | 'curate' | 'rewrite', 'truncate' | 'skip'>`.
 */
import { HumpbackError } from '../../core/errors.ts';
import type { SeqRecord } from '../../core/records.ts';
import type { OverflowChoice } from '../../core/tokens/budget.ts';
import { planRunBudget, type BudgetRequest } from '../../core/tokens/plan-budget.ts';
import { budgetInputs, type Budgeted, type RunBudget } from '../../core/tokens/stage-budget.ts';
import type { ProjectState } from '../project/project.svelte.ts';
import type { TokenState } from '../tokens/tokens.svelte.ts';

export type BudgetStage = 'augment' | 'curate' | 'rewrite';

export class TokenizerMismatchError extends HumpbackError {
  constructor(wanted: string, loaded: string | null) {
    super(
      'TokenizerMismatchError',
      `This run measured its prompts with the tokenizer ${wanted}, but ${loaded ? `${loaded} is loaded now` : 'no tokenizer is loaded now'}. ` +
        `Load ${wanted} again (beside the engine panel) to resume it, so every prompt is cut the same way; or start a new run.`,
    );
  }
}

const readChoices = (raw: unknown): Record<BudgetStage, OverflowChoice> => {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pick = (v: unknown): OverflowChoice => (v === 'skip' ? 'skip' : 'truncate');
  // A rewrite of a cut response would answer with part of the text: skipping is its default.
  return { augment: pick(o.augment), curate: pick(o.curate), rewrite: o.rewrite === 'truncate' ? 'truncate' : 'skip' };
};

export class StageBudgets {
  choice = $state<Record<BudgetStage, OverflowChoice>>({ augment: 'truncate', curate: 'truncate', rewrite: 'skip' });
  /** The last measurement per stage (what the next run would do with the form as it was then). */
  measured = $state.raw<Record<BudgetStage, RunBudget | null>>({ augment: null, curate: null, rewrite: null });
  measuring = $state<Record<BudgetStage, { measured: number; total: number } | null>>({ augment: null, curate: null, rewrite: null });
  readonly tokens: TokenState;
  readonly #ps: ProjectState;
  readonly #controllers: Record<BudgetStage, AbortController | null> = { augment: null, curate: null, rewrite: null };

  constructor(ps: ProjectState, tokens: TokenState) {
    this.#ps = ps;
    this.tokens = tokens;
    this.choice = readChoices(ps.setting<unknown>('tokenBudget', null));
  }

  /** True when prompts can be measured in tokens (a tokenizer is loaded). */
  get active(): boolean {
    return this.tokens.tokenizer() !== null;
  }

  async setChoice(stage: BudgetStage, choice: OverflowChoice): Promise<void> {
    this.choice = { ...this.choice, [stage]: choice };
    this.measured = { ...this.measured, [stage]: null };
    await this.#ps.saveSetting('tokenBudget', this.choice);
  }

  /** Measures every prompt of a run about to start; null when no tokenizer is loaded. */
  async plan<In extends SeqRecord>(stage: BudgetStage, req: BudgetRequest<In>, contextWindow: number, total: number, signal?: AbortSignal): Promise<RunBudget | null> {
    await this.tokens.whenLoaded();
    const tokenizer = this.tokens.tokenizer();
    const info = this.tokens.info;
    if (!tokenizer || !info) return null;
    this.#controllers[stage]?.abort();
    const controller = new AbortController();
    this.#controllers[stage] = controller;
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    this.measuring[stage] = { measured: 0, total };
    try {
      const budget = await planRunBudget(req, tokenizer, info, contextWindow, this.choice[stage], {
        signal: controller.signal,
        onProgress: (measured) => {
          const m = this.measuring[stage];
          if (m) m.measured = measured;
        },
      });
      this.measured = { ...this.measured, [stage]: budget };
      return budget;
    } finally {
      signal?.removeEventListener('abort', stop);
      if (this.#controllers[stage] === controller) {
        this.#controllers[stage] = null;
        this.measuring[stage] = null;
      }
    }
  }

  /** Stops a measurement in progress. */
  cancel(stage: BudgetStage): void {
    this.#controllers[stage]?.abort();
  }

  /** Refuses to go on with another tokenizer than the one the run was measured with. */
  async check(budget: RunBudget): Promise<void> {
    await this.tokens.whenLoaded();
    const info = this.tokens.info;
    if (!this.tokens.tokenizer() || info?.key !== budget.tokenizer.key) throw new TokenizerMismatchError(budget.tokenizer.name, info?.name ?? null);
  }

  /** A run's inputs with its recorded budget applied (call `check` first). */
  apply<In extends SeqRecord>(budget: RunBudget, req: BudgetRequest<In>, signal?: AbortSignal): AsyncGenerator<Budgeted<In>> {
    const tokenizer = this.tokens.tokenizer();
    if (!tokenizer) throw new TokenizerMismatchError(budget.tokenizer.name, null);
    return budgetInputs(req.inputs(), req.shape, budget, tokenizer, signal);
  }
}
