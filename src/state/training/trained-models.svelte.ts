/**
 * The models brought back from training, kept in the project settings under `models` so the
 * engine picker (another step's state) can offer them: backward models for generating
 * instructions, forward models for rating. The setting is a list of `RegisteredModel`
 * (src/core/training/registered-model.ts):
 *
 *   { schemaVersion: 1, id, label, purpose: 'backward' | 'forward', jobId: string | null,
 *     engine: { engine: 'openai', model, baseUrl }                 // served at an OpenAI-compatible API
 *           | { engine: 'webllm', model, modelUrl, modelLibUrl }    // a web-llm build
 *           | { engine: 'wllama', model, ggufUrl },                 // a GGUF file for llama.cpp (wasm)
 *     registeredAt }
 *
 * Read it with `ps.setting<RegisteredModel[]>('models', [])`; `toModelRef(m.engine)` gives the
 * ModelRef that records (Candidate, Rating provenance) carry. No key is ever part of it: an
 * endpoint that needs one takes it from the engine settings.
 */
import type { Issue } from '../../core/result.ts';
import type { TrainingPurpose } from '../../core/training/config.ts';
import type { TrainingJob } from '../../core/training/job.ts';
import { modelChoices, registerModel, type EngineModel, type RegisteredModel } from '../../core/training/registered-model.ts';
import type { TrainerSettings } from '../../ports/trainer.ts';
import type { ProjectState } from '../project/project.svelte.ts';

export const MODELS_SETTING = 'models';

export class TrainedModels {
  readonly #ps: ProjectState;
  readonly #trainers: () => TrainerSettings[];

  constructor(ps: ProjectState, trainers: () => TrainerSettings[]) {
    this.#ps = ps;
    this.#trainers = trainers;
  }

  get list(): RegisteredModel[] {
    return this.#ps.setting<RegisteredModel[]>(MODELS_SETTING, []);
  }

  /** Models registered from this job. */
  of(jobId: string): RegisteredModel[] {
    return this.list.filter((m) => m.jobId === jobId);
  }

  /** The ways the engines could load this job's model, best first. */
  choicesFor(job: TrainingJob): EngineModel[] {
    const baseUrl = this.#trainers().find((t) => t.id === job.trainerId)?.baseUrl ?? '';
    return modelChoices($state.snapshot(job), baseUrl);
  }

  /**
   * Registers a model from a finished job, or (job null) one the user trained by hand from the
   * bundle. Returns the issue that stopped it, or null.
   */
  async register(job: TrainingJob | null, engine: EngineModel, opts: { label?: string; purpose?: TrainingPurpose } = {}): Promise<Issue | null> {
    const r = registerModel(job ? $state.snapshot(job) : null, $state.snapshot(engine), opts);
    if (!r.ok) return r.issue;
    await this.#ps.saveSetting(MODELS_SETTING, [...this.list, r.value]);
    return null;
  }

  async remove(id: string): Promise<void> {
    await this.#ps.saveSetting(MODELS_SETTING, this.list.filter((m) => m.id !== id));
  }
}
