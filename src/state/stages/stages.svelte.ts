/**
 * The model stages of one open project — generate instructions (self-augmentation), rate pairs
 * (self-curation) and, optionally, rewrite the kept responses (issue 19) — as runs the user starts, pauses, resumes and cancels. The runner
 * (core/stages/runner.ts) does the work and keeps the store exact; this class holds what the UI
 * shows: the stored runs, the live one per stage with its progress, and runs a closed tab left
 * 'running' (offered for Resume when the project opens).
 *
 * Engines and seed examples come in as functions, so tests pass a real engine directly and the
 * app passes the engine the user chose in the engine panel and the examples chosen in the Seed
 * step (see stage-sources.ts).
 */
import type { ModelRef, Run } from '../../core/records.ts';
import { curateAbilities } from '../../core/stages/curate.ts';
import { countCurateInputs } from '../../core/stages/inputs.ts';
import type { BudgetRequest } from '../../core/tokens/plan-budget.ts';
import { augmentBudget, curateBudget } from '../../core/tokens/stage-requests.ts';
import type { RunBudget } from '../../core/tokens/stage-budget.ts';
import { NothingToDoError, augmentRunSettings, checkRunModel, curateRunSettings, type AugmentRunSettings, type CurateRunSettings } from '../../core/stages/run-settings.ts';
import { PAUSE, type RunStageOptions, type StageProgress } from '../../core/stages/runner.ts';
import { CURATE_SAMPLING, FAST_CURATE_SAMPLING, type AugmentInput, type CurateInput, type Example } from '../../core/stages/stage.ts';
import { newRun } from '../../core/records.ts';
import { awaitingRatingSeqs } from '../../core/curation/walk.ts';
import { currentSet } from '../review/curation.ts';
import { countRewriteInputs, rewriteRunSettings, rewriteSetOf, type RewriteRunSettings } from '../../core/rewrite/run.ts';
import { rewriteBudget } from '../../core/rewrite/budget.ts';
import { choiceOf } from '../../core/curation/curated-set.ts';
import { RewriteForm } from './rewrite-form.svelte.ts';
import type { EngineRole } from '../../core/engines/choice.ts';
import { describeError } from '../../core/errors.ts';
import type { Llm } from '../../ports/llm.ts';
import type { ProjectStore } from '../../ports/store.ts';
import type { ProjectState } from '../project/project.svelte.ts';
import type { StageBudgets } from './stage-budget.svelte.ts';
import { driveRun } from './drive-run.ts';
import { AugmentForm, CurateForm, TemplateBook } from './stage-forms.svelte.ts';

export type { EngineRole };
export type StageId = 'augment' | 'curate' | 'rewrite';
type AnyRunSettings = AugmentRunSettings | CurateRunSettings | RewriteRunSettings;

export interface StageEngine {
  llm: Llm;
  /** The model every result of the run records. */
  model: ModelRef;
}

/** The loaded engine for a role (loads it if needed); rejects with a named error when none is chosen. */
export type EngineSource = (role: EngineRole, signal: AbortSignal) => Promise<StageEngine>;
/** The reversed seed pairs prompted mode shows the model (the app: the Seed step's saved choice). */
export type ExampleSource = () => Promise<Example[]>;

export interface StagesOptions {
  engine: EngineSource;
  exemplars: ExampleSource;
  /** Runner tuning (tests use small batches). */
  runner?: Pick<RunStageOptions<unknown>, 'batchSize' | 'concurrency'>;
  /** Token budgets (the app: the project's tokenizer); without it, prompts are not measured. */
  budgets?: StageBudgets;
  /** The segments the corpus filters keep (token band, near-duplicates), or null for all. */
  keep?: () => Promise<ReadonlySet<number> | null>;
}

export const ROLE_OF: Record<StageId, EngineRole> = { augment: 'backward', curate: 'curator', rewrite: 'rewriter' };
const STAGE_WORDS: Record<StageId, { doing: string; run: string }> = {
  augment: { doing: 'Generating instructions', run: 'instruction generation' },
  curate: { doing: 'Rating pairs', run: 'rating' },
  rewrite: { doing: 'Rewriting responses', run: 'rewrite' },
};

export interface LiveRun {
  stage: StageId;
  /** Null while the engine loads, before the run record exists (a new run). */
  runId: string | null;
  phase: 'engine' | 'running' | 'stopping';
  progress: StageProgress | null;
}

const isStageRun = (r: Run): r is Run & { stage: StageId } => r.stage === 'augment' || r.stage === 'curate' || r.stage === 'rewrite';

export class StagesState {
  runs = $state<Run[]>([]);
  live = $state<Record<StageId, LiveRun | null>>({ augment: null, curate: null, rewrite: null });
  loaded = $state(false);
  /** Prompted mode's examples as the next run would get them (null until read). */
  examples = $state.raw<Example[] | null>(null);
  readonly templates: TemplateBook;
  readonly augmentForm: AugmentForm;
  readonly curateForm: CurateForm;
  readonly rewriteForm: RewriteForm;
  readonly ps: ProjectState;
  readonly #options: StagesOptions;
  readonly #controllers: Record<StageId, AbortController | null> = { augment: null, curate: null, rewrite: null };
  #toldInterrupted = false;

  constructor(ps: ProjectState, options: StagesOptions) {
    this.ps = ps;
    this.#options = options;
    this.templates = new TemplateBook(ps);
    this.augmentForm = new AugmentForm(ps);
    this.curateForm = new CurateForm(ps);
    this.rewriteForm = new RewriteForm(ps);
  }

  /** Reads the stored runs; tells the user once about runs a closed tab left running. */
  async load(): Promise<void> {
    const store = await this.ps.open();
    if (!store) return;
    try {
      const runs = (await store.listRuns()).filter(isStageRun).sort((a, b) => a.createdAt - b.createdAt);
      this.runs = runs;
      this.loaded = true;
    } catch (err) {
      this.ps.notices.error(err, 'Reading the runs');
      return;
    }
    const augmentRuns = this.byStage('augment');
    if (!this.curateForm.augmentRunId) this.curateForm.augmentRunId = augmentRuns.at(-1)?.id ?? null;
    const left = this.interrupted.map((r) => r.id);
    if (left.length > 0 && !this.#toldInterrupted) {
      this.#toldInterrupted = true;
      // The notice lasts while one of these runs is still interrupted (not resumed, cancelled or done).
      this.ps.notices.info(
        left.length === 1 ? 'A run was interrupted' : `${left.length} runs were interrupted`,
        'The page closed while a run was going. Everything it finished is stored; press Resume on the Generate instructions, Rate or Rewrite step to carry on from there.',
        () => !this.interrupted.some((r) => left.includes(r.id)),
      );
    }
  }

  /** Reads the examples prompted mode would show, for the form's preview. */
  async loadExamples(): Promise<void> {
    try {
      this.examples = await this.#options.exemplars();
    } catch (err) {
      this.ps.notices.error(err, 'Reading the seed examples');
    }
  }

  byStage(stage: StageId): Run[] {
    return this.runs.filter((r) => r.stage === stage);
  }

  /** Runs stored as 'running' that no live session in this page drives: the tab closed or crashed. */
  get interrupted(): Run[] {
    return this.runs.filter((r) => r.status === 'running' && this.live[r.stage as StageId]?.runId !== r.id);
  }

  busy(stage: StageId): boolean {
    return this.live[stage] !== null;
  }

  /** A new run with what the form says now; resolves with the stored run when it stops. */
  startAugment(): Promise<Run | undefined> {
    return this.#session('augment', null, async (store, engine, signal) => {
      const { settings, total } = await this.#augmentSettings(store, engine);
      const budget = await this.#plan('augment', settings, store, engine.llm, total, signal);
      await this.augmentForm.save();
      return this.#newRun('augment', settings.template.version, { ...settings, ...(budget ? { budget } : {}) }, total);
    });
  }

  async #augmentSettings(store: ProjectStore, { model }: StageEngine): Promise<{ settings: AugmentRunSettings; total: number }> {
    const v = $state.snapshot(this.augmentForm.values);
    const template = this.templates.get(this.augmentForm.templateId);
    const examples = v.mode === 'prompted' ? await this.#options.exemplars() : [];
    if (v.mode === 'prompted' && examples.length === 0) throw new NothingToDoError('seeds');
    const keep = (await this.#options.keep?.()) ?? null;
    const total = keep ? keep.size : (await store.info('segments')).count;
    if (total === 0) throw new NothingToDoError('segments');
    const settings: AugmentRunSettings = {
      template,
      config: { model, sampling: v.sampling, examples, maxInstructionChars: v.maxInstructionChars, maxExampleChars: v.maxExampleChars },
    };
    return { settings, total };
  }

  /** A new rating run over the candidates of `curateForm.augmentRunId`. */
  startCurate(): Promise<Run | undefined> {
    const augmentRunId = this.curateForm.augmentRunId;
    return this.#session('curate', null, async (store, engine, signal) => {
      const { settings, total } = await this.#curateSettings(store, engine, augmentRunId);
      const budget = await this.#plan('curate', settings, store, engine.llm, total, signal);
      await this.curateForm.save();
      const run = this.#newRun('curate', settings.template.version, { ...settings, ...(budget ? { budget } : {}) }, total);
      run.round = settings.config.round;
      return run;
    });
  }

  /**
   * A rating run over only the pairs edited by hand since their rating, in the curated set's
   * round: they move on without a full re-rate (which would take every other pair's rating anew).
   */
  startCurateEdited(): Promise<Run | undefined> {
    return this.#session('curate', null, async (store, engine, signal) => {
      const set = currentSet(this.ps, await store.listRuns());
      const only = set.augmentRunId ? await awaitingRatingSeqs(store, set, signal) : [];
      if (!set.augmentRunId || only.length === 0) throw new NothingToDoError('edited');
      const { settings, total } = await this.#curateSettings(store, engine, set.augmentRunId, only);
      settings.config.round = set.round ?? settings.config.round;
      const scoped: CurateRunSettings = { ...settings, scope: 'edited', only };
      const budget = await this.#plan('curate', scoped, store, engine.llm, total, signal);
      const run = this.#newRun('curate', settings.template.version, { ...scoped, ...(budget ? { budget } : {}) }, total);
      run.round = settings.config.round;
      return run;
    });
  }

  async #curateSettings(store: ProjectStore, { llm, model }: StageEngine, augmentRunId: string | null, only?: readonly number[]): Promise<{ settings: CurateRunSettings; total: number }> {
    if (!augmentRunId) throw new NothingToDoError('candidates');
    const v = $state.snapshot(this.curateForm.values);
    const template = this.templates.get(this.curateForm.templateId);
    const abilities = curateAbilities(await llm.capabilities());
    // Fast mode without a grammar cannot count on a one-token reply ("4" may come as " 4" or "4/5").
    const sampling = v.mode === 'fast' ? { ...FAST_CURATE_SAMPLING, maxTokens: abilities.constrained ? 1 : 4 } : { ...CURATE_SAMPLING };
    const total = await countCurateInputs(store, augmentRunId, only);
    if (total === 0) throw new NothingToDoError(only ? 'edited' : 'candidates');
    return { settings: { template, augmentRunId, config: { model, sampling, round: v.round, ...abilities } }, total };
  }

  /**
   * A new rewrite run over the kept pairs of the curated set as it is now (issue 19). The run keeps
   * the set's choice, so a resume rewrites the same set.
   */
  startRewrite(): Promise<Run | undefined> {
    return this.#session('rewrite', null, async (store, engine, signal) => {
      const { settings, total } = await this.#rewriteSettings(store, engine, signal);
      const budget = await this.#plan('rewrite', settings, store, engine.llm, total, signal);
      await this.rewriteForm.save();
      return this.#newRun('rewrite', settings.template.version, { ...settings, ...(budget ? { budget } : {}) }, total);
    });
  }

  async #rewriteSettings(store: ProjectStore, { model }: StageEngine, signal?: AbortSignal): Promise<{ settings: RewriteRunSettings; total: number }> {
    const set = currentSet(this.ps, await store.listRuns());
    if (!set.augmentRunId) throw new NothingToDoError('candidates');
    const total = await countRewriteInputs(store, set, signal);
    if (total === 0) throw new NothingToDoError('kept');
    const v = $state.snapshot(this.rewriteForm.values);
    const settings: RewriteRunSettings = {
      template: $state.snapshot(this.rewriteForm.template),
      config: { model, sampling: v.sampling, limits: v.limits },
      augmentRunId: set.augmentRunId,
      selection: choiceOf(set),
    };
    return { settings, total };
  }

  /** The token budgets of this project's runs, when a tokenizer source was given. */
  get budgets(): StageBudgets | undefined {
    return this.#options.budgets;
  }

  /**
   * Measures every prompt a new run would send with the form as it is now (loading the engine for
   * its context window), so the fits / cut / skipped counts show before starting. Null without a tokenizer.
   */
  async measureBudget(stage: StageId): Promise<RunBudget | null> {
    const store = this.ps.store;
    if (!store || !this.#options.budgets) return null;
    const controller = new AbortController();
    try {
      const engine = await this.#options.engine(ROLE_OF[stage], controller.signal);
      const { settings, total } =
        stage === 'augment' ? await this.#augmentSettings(store, engine)
        : stage === 'curate' ? await this.#curateSettings(store, engine, this.curateForm.augmentRunId)
        : await this.#rewriteSettings(store, engine, controller.signal);
      return await this.#plan(stage, settings, store, engine.llm, total, controller.signal);
    } catch (err) {
      if (describeError(err).name !== 'AbortError') this.ps.notices.error(err, 'Measuring the prompts');
      return null;
    }
  }

  async #plan(stage: StageId, settings: AnyRunSettings, store: ProjectStore, llm: Llm, total: number, signal: AbortSignal): Promise<RunBudget | null> {
    const budgets = this.#options.budgets;
    if (!budgets) return null;
    const contextWindow = (await llm.capabilities()).contextWindow;
    const req =
      stage === 'augment' ? augmentBudget(settings as AugmentRunSettings, store, (await this.#options.keep?.()) ?? null)
      : stage === 'curate' ? curateBudget(settings as CurateRunSettings, store)
      : rewriteBudget(settings as RewriteRunSettings, store, rewriteSetOf(await store.listRuns(), settings as RewriteRunSettings));
    return budgets.plan(stage, req as BudgetRequest<AugmentInput | CurateInput>, contextWindow, total, signal);
  }

  /** Carries on a paused, failed or interrupted run from what is stored, with the same settings. */
  resume(runId: string): Promise<Run | undefined> {
    const run = this.runs.find((r) => r.id === runId);
    if (!run || !isStageRun(run)) return Promise.resolve(undefined);
    return this.#session(run.stage, run.id, async (store, { model }) => {
      // The stored record is the truth (this list may lag a write by another session).
      const stored = (await store.getRun(runId)) ?? $state.snapshot(run);
      if (stored.stage === 'augment') augmentRunSettings(stored);
      else if (stored.stage === 'curate') curateRunSettings(stored);
      else rewriteRunSettings(stored);
      checkRunModel(stored, model);
      return stored;
    });
  }

  /** Stops the live run of a stage after writing what is finished; Resume carries on. */
  pause(stage: StageId): void {
    const live = this.live[stage];
    if (!live) return;
    live.phase = 'stopping';
    this.#controllers[stage]?.abort(PAUSE);
  }

  /** Ends a run for good (its results stay). Works on the live run and on a paused or interrupted one. */
  async cancel(runId: string): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    if (!run) return;
    const stage = run.stage as StageId;
    const live = this.live[stage];
    if (live?.runId === runId) {
      live.phase = 'stopping';
      this.#controllers[stage]?.abort('cancel');
      return;
    }
    const store = this.ps.store;
    if (!store || run.status === 'done' || run.status === 'cancelled') return;
    try {
      const next: Run = { ...$state.snapshot(run), status: 'cancelled' };
      await store.putRun(next);
      this.#upsert(next);
    } catch (err) {
      this.ps.notices.error(err, 'Cancelling the run');
    }
  }

  /** Gives up loading the engine for a run that has not started. */
  abortStart(stage: StageId): void {
    if (this.live[stage]?.phase === 'engine') this.#controllers[stage]?.abort('cancel');
  }

  #newRun(stage: StageId, version: number, settings: AnyRunSettings & { budget?: RunBudget }, total: number): Run {
    // Snapshot: templates come from the project's $state settings, and IndexedDB cannot clone a proxy.
    const run = newRun(stage, version, $state.snapshot(settings) as unknown as Record<string, unknown>);
    run.progress.total = total;
    return run;
  }

  /**
   * One session of a run: load the engine, `prepare` the run (a new one, or the stored one to
   * resume), drive the runner, then read back what the store says. Errors go to the notices;
   * stopping during the engine load is quiet.
   */
  async #session(stage: StageId, runId: string | null, prepare: (store: ProjectStore, engine: StageEngine, signal: AbortSignal) => Promise<Run>): Promise<Run | undefined> {
    const store = this.ps.store;
    if (!store) return undefined;
    if (this.live[stage]) {
      this.ps.notices.info('A run is already going', `Pause or cancel the ${STAGE_WORDS[stage].run} run before starting another.`);
      return undefined;
    }
    const controller = new AbortController();
    this.#controllers[stage] = controller;
    this.live[stage] = { stage, runId, phase: 'engine', progress: null };
    const what = STAGE_WORDS[stage].doing;
    let run: Run | undefined;
    try {
      const engine = await this.#options.engine(ROLE_OF[stage], controller.signal);
      run = await prepare(store, engine, controller.signal);
      if (controller.signal.aborted) return undefined;
      if (!runId) {
        await store.putRun(run);
        this.#upsert(run);
        // The newest instructions are the natural ones to rate next.
        if (stage === 'augment') this.curateForm.augmentRunId = run.id;
      }
      const live = this.live[stage];
      if (live) {
        live.runId = run.id;
        live.phase = 'running';
      }
      await driveRun(store, run, engine.llm, controller.signal, {
        ...this.#options,
        onProgress: (p) => {
          const live = this.live[stage];
          if (live) live.progress = p;
        },
      });
    } catch (err) {
      if (!controller.signal.aborted || run) this.ps.notices.error(err, what);
    } finally {
      this.live[stage] = null;
      this.#controllers[stage] = null;
    }
    if (!run) return undefined;
    try {
      const stored = await store.getRun(run.id);
      if (stored) this.#upsert(stored);
      if (stored?.status === 'failed' && stored.error) this.ps.notices.error(stored.error, what);
      await this.ps.refresh();
      return stored;
    } catch (err) {
      this.ps.notices.error(err, 'Reading the run');
      return undefined;
    }
  }

  #upsert(run: Run): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    if (i === -1) this.runs.push(run);
    else this.runs[i] = run;
  }
}
