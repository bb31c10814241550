/**
 * The engines of one open project: which model writes instructions and which one rates, loaded
 * on first use and shared when both roles pick the same one. The stages build on this contract:
 *
 * ```ts
 * const engines = ps.part('engines', (ps) => new EngineState(ps));
 * engines.choice('backward')          // EngineChoice | null — engine, model, label + its settings
 * await engines.llm('curator', { onProgress, signal })   // a loaded Llm (loads on first use)
 * engines.status('backward')          // 'unset' | 'loading' | 'ready' | 'error' (reactive)
 * engines.loadProgress('backward')    // EngineLoadProgress | null (fraction, bytes, text, ETA)
 * engines.lastError('backward')       // { name, message } | null
 * engines.describe('backward')        // "wllama · tiny-llama.gguf (CPU)"
 * await engines.unload('backward')
 * ```
 *
 * - Roles: 'backward' (writes instructions) and 'curator' (rates).
 * - Choices are saved with the project under the `engines` setting (see core/engines/choice.ts).
 *   An endpoint's API key is never part of it: it lives in a secret store (memory only, unless
 *   the user ticks "remember on this device", which stores it in a database apart from every
 *   project), so no export or backup can carry it.
 * - Sharing: when both roles' choices have the same `instanceKey`, `llm()` returns the same
 *   instance for both, and one load serves both. `status()` follows the choice: a role whose
 *   choice is loaded (by either role) is 'ready'; 'unset' means no choice, or nothing loaded for
 *   it yet (llm() will load it). `unload(role)` unloads the model that role's choice uses, so for
 *   a shared model both roles go back to 'unset'.
 * - Abort: a caller's signal rejects that caller's llm() with AbortError at once; the load itself
 *   stops only when every caller waiting for it has aborted.
 * - Failures: llm() rejects with the engine's named error (its message says what to do) and the
 *   role shows 'error' with lastError(); the next llm() tries again.
 */
import { readGpuFacts } from '../../adapters/engine-environment.ts';
import { TrainerSecrets, type SecretStore } from '../../adapters/trainer/secrets.ts';
import {
  choiceFromEngineModel,
  customModelOf,
  describeChoice,
  ENGINE_ROLES,
  EngineNotChosenError,
  ggufName,
  instanceKey,
  readEngineSettings,
  withCustomModel,
  type EngineChoice,
  type EngineRole,
  type EngineSettings,
} from '../../core/engines/choice.ts';
import type { GpuFacts } from '../../core/engines/gpu.ts';
import { describeLevers } from '../../core/engines/levers.ts';
import { recommendEngine, type EngineRecommendation } from '../../core/engines/recommend.ts';
import { AbortedError, describeError } from '../../core/errors.ts';
import type { RegisteredModel } from '../../core/training/registered-model.ts';
import type { Llm, LlmCapabilities } from '../../ports/llm.ts';
import { endpointSecretId, type EngineFactory, type EngineLoadProgress } from './engine-instances.ts';
import { LoadedEngines, type Slot, type WaitOptions } from './loaded-engines.svelte.ts';
import { EngineTrial } from './engine-trial.svelte.ts';
import type { ProjectState } from '../project/project.svelte.ts';
import { WebLlmPickerState } from './webllm-picker.svelte.ts';

export type { EngineChoice, EngineRole, EngineLoadProgress };
export type EngineStatus = 'unset' | 'loading' | 'ready' | 'error';

export interface EngineStateOptions {
  secrets?: SecretStore;
  /** The WebGPU adapter's facts (null: none); defaults to asking the browser. */
  readGpu?: () => Promise<GpuFacts | null>;
  webllmStallTimeoutMs?: number;
  wllamaContextSize?: number;
}

let pageSecrets: TrainerSecrets | undefined;
/** Endpoint keys kept in memory outlive a project switch: one store for the page, made on first use. */
export function engineSecrets(): SecretStore {
  pageSecrets ??= new TrainerSecrets();
  return pageSecrets;
}

export class EngineState {
  settings = $state(readEngineSettings(null));
  /** The adapter's facts once read (null: no WebGPU), undefined before. */
  gpu = $state<GpuFacts | null | undefined>(undefined);
  recommendation = $derived<EngineRecommendation | null>(this.#recommend());
  readonly ps: ProjectState;
  readonly secrets: SecretStore;
  readonly #loaded: LoadedEngines;
  readonly #files = new Map<string, File>();
  readonly #trials = new Map<EngineRole, EngineTrial>();
  #picker: WebLlmPickerState | null = null;
  readonly #readGpu: () => Promise<GpuFacts | null>;
  #gpuRead: Promise<GpuFacts | null> | null = null;

  constructor(ps: ProjectState, options: EngineStateOptions = {}) {
    this.ps = ps;
    this.settings = readEngineSettings(ps.setting<unknown>('engines', null));
    this.secrets = options.secrets ?? engineSecrets();
    this.#readGpu = options.readGpu ?? (() => readGpuFacts());
    const factory: EngineFactory = {
      secrets: this.secrets,
      droppedFile: (name) => this.#files.get(name),
      wllamaOnGpu: async () => {
        const gpu = await this.inspect();
        return !!gpu && !gpu.isFallbackAdapter;
      },
      webllmSettings: () => $state.snapshot(this.settings.webllm),
      webllmStallTimeoutMs: options.webllmStallTimeoutMs ?? 60_000,
      wllamaContextSize: options.wllamaContextSize ?? 2048,
    };
    this.#loaded = new LoadedEngines(factory);
  }

  /** Reads the WebGPU adapter once (for the recommendation, the catalogue and wllama's GPU use). */
  inspect(): Promise<GpuFacts | null> {
    this.#gpuRead ??= this.#readGpu()
      .catch(() => null)
      .then((gpu) => (this.gpu = gpu));
    return this.#gpuRead;
  }

  choice(role: EngineRole): EngineChoice | null {
    return this.settings.choices[role];
  }

  async setChoice(role: EngineRole, choice: EngineChoice | null): Promise<void> {
    const before = this.choice(role);
    const next: EngineSettings = { ...$state.snapshot(this.settings), choices: { ...$state.snapshot(this.settings.choices), [role]: choice } };
    await this.#save(next);
    if (before) await this.#releaseUnused(instanceKey(before));
  }

  /** Uses a dropped .gguf file for a role (kept in memory; the choice records its name). */
  async useDroppedGguf(role: EngineRole, file: File): Promise<void> {
    this.#files.set(file.name, file);
    const key = instanceKey({ engine: 'wllama', model: file.name, label: file.name, ggufUrl: null, fileName: file.name });
    await this.#loaded.release(key); // a new file with the same name replaces what was loaded
    await this.setChoice(role, { engine: 'wllama', model: file.name, label: file.name, ggufUrl: null, fileName: file.name });
  }

  /** Uses a .gguf file at a URL for a role. */
  async useGgufUrl(role: EngineRole, url: string): Promise<void> {
    const u = url.trim();
    await this.setChoice(role, { engine: 'wllama', model: ggufName(u), label: ggufName(u), ggufUrl: u, fileName: null });
  }

  /** Models registered from training jobs (the project's `models` setting). */
  get registered(): RegisteredModel[] {
    const raw = this.ps.setting<unknown>('models', []);
    return Array.isArray(raw) ? (raw as RegisteredModel[]).filter((m) => typeof m?.engine?.engine === 'string' && typeof m.engine.model === 'string') : [];
  }

  async useRegistered(role: EngineRole, m: RegisteredModel): Promise<void> {
    const custom = customModelOf(m.engine);
    if (custom) await this.saveWebLlm({ customModels: withCustomModel(this.settings.webllm.customModels, custom) });
    await this.setChoice(role, choiceFromEngineModel(m.engine, m.label));
  }

  async saveWebLlm(patch: Partial<EngineSettings['webllm']>): Promise<void> {
    const now = $state.snapshot(this.settings);
    await this.#save({ ...now, webllm: { ...now.webllm, ...patch } });
  }

  status(role: EngineRole): EngineStatus {
    return this.#slot(role)?.status ?? 'unset';
  }

  loadProgress(role: EngineRole): EngineLoadProgress | null {
    return this.#slot(role)?.progress ?? null;
  }

  lastError(role: EngineRole): { name: string; message: string } | null {
    return this.#slot(role)?.error ?? null;
  }

  /** What the role's loaded engine does for rating (grammar, expected scores, why not), or null before it is ready. */
  levers(role: EngineRole): string | null {
    const caps = this.capabilities(role);
    return caps ? describeLevers(caps) : null;
  }

  /** The role's loaded engine's capabilities (verified at load for an endpoint), or null before it is ready. */
  capabilities(role: EngineRole): LlmCapabilities | null {
    return this.#slot(role)?.capabilities ?? null;
  }

  describe(role: EngineRole): string {
    return describeChoice(this.choice(role), { wllamaOnGpu: !!this.gpu && !this.gpu.isFallbackAdapter });
  }

  /** True when both roles currently use one loaded instance. */
  get shared(): boolean {
    const [a, b] = ENGINE_ROLES.map((r) => this.choice(r));
    return !!a && !!b && instanceKey(a) === instanceKey(b);
  }

  /** The other roles whose choice uses the same loaded instance as this role's. */
  sharedWith(role: EngineRole): EngineRole[] {
    const mine = this.choice(role);
    if (!mine) return [];
    const key = instanceKey(mine);
    return ENGINE_ROLES.filter((r) => r !== role && this.choice(r) !== null && instanceKey(this.choice(r) as EngineChoice) === key);
  }

  async llm(role: EngineRole, opts: WaitOptions = {}): Promise<Llm> {
    const choice = this.choice(role);
    if (!choice) throw new EngineNotChosenError(role);
    if (opts.signal?.aborted) throw new AbortedError('Model loading was cancelled.');
    const key = instanceKey(choice);
    return this.#loaded.get(key, $state.snapshot(choice) as EngineChoice, opts);
  }

  /** Unloads the model this role's choice uses (for both roles, when they share it). */
  async unload(role: EngineRole): Promise<void> {
    const choice = this.choice(role);
    if (choice) await this.#loaded.release(instanceKey(choice));
  }

  /** Loads the role's model for the panel's Load button: failures go to the notices (and lastError). */
  async prepare(role: EngineRole): Promise<void> {
    try {
      await this.llm(role);
    } catch (err) {
      if (describeError(err).name !== 'AbortError') this.ps.notices.error(err, `Loading ${this.describe(role)}`);
    }
  }

  /** The web-llm picker (one per project, its worker started on first use). */
  get webllmPicker(): WebLlmPickerState {
    this.#picker ??= new WebLlmPickerState(this);
    return this.#picker;
  }

  /** The "Try it" box of a role (kept across step switches). */
  trial(role: EngineRole): EngineTrial {
    let t = this.#trials.get(role);
    if (!t) this.#trials.set(role, (t = new EngineTrial(this, role)));
    return t;
  }

  /** Unloads everything and ends the picker's worker (the project is closing). */
  async dispose(): Promise<void> {
    this.#picker?.close();
    await Promise.all(this.#loaded.keys().map((k) => this.#loaded.release(k)));
  }

  /** Endpoint API keys: memory only unless `remember`; a new key reloads what used the old one. */
  async setEndpointKey(baseUrl: string, key: string, remember: boolean): Promise<void> {
    await this.secrets.set(endpointSecretId(baseUrl), key, { remember });
    for (const k of this.#loaded.keys()) if (k.startsWith(`openai|${baseUrl}|`)) await this.#loaded.release(k);
  }

  endpointKey(baseUrl: string): Promise<string | null> {
    return this.secrets.get(endpointSecretId(baseUrl));
  }

  endpointKeyRemembered(baseUrl: string): Promise<boolean> {
    return this.secrets.isRemembered(endpointSecretId(baseUrl));
  }

  #slot(role: EngineRole): Slot | undefined {
    const c = this.choice(role);
    return c ? this.#loaded.slot(instanceKey(c)) : undefined;
  }

  async #releaseUnused(key: string): Promise<void> {
    const used = ENGINE_ROLES.some((r) => {
      const c = this.choice(r);
      return c !== null && instanceKey(c) === key;
    });
    if (!used) await this.#loaded.release(key);
  }

  async #save(next: EngineSettings): Promise<void> {
    this.settings = next;
    await this.ps.saveSetting('engines', next);
  }

  #recommend(): EngineRecommendation | null {
    if (this.gpu === undefined) return null;
    return recommendEngine({
      gpu: this.gpu,
      endpointConfigured: ENGINE_ROLES.some((r) => this.choice(r)?.engine === 'openai'),
      corpusSegments: this.ps.count('segments'),
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      cores: globalThis.navigator?.hardwareConcurrency ?? 1,
    });
  }
}
