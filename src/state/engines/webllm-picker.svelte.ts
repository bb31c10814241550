/**
 * The web-llm model picker: the catalogue for this GPU (LLaMA first, the q4f16/q4f32 choice and
 * why), the models already in the browser's cache, the cache backend and the project's custom
 * models. It talks to its own web-llm worker (started when the picker first opens), separate
 * from the workers that hold loaded models, so browsing never disturbs a run.
 */
import { WebLlmEngine } from '../../adapters/webllm/webllm-engine.ts';
import { checkCustomModel, withCustomModel, type WebLlmCacheBackend, type WebLlmCustomModel } from '../../core/engines/choice.ts';
import type { CatalogueEntry } from '../../core/engines/catalogue.ts';
import { describeError } from '../../core/errors.ts';
import type { EngineState } from './engines.svelte.ts';

export class WebLlmPickerState {
  rows = $state<CatalogueEntry[] | null>(null);
  cached = $state<string[]>([]);
  busy = $state(false);
  /** Why the catalogue could not be read (no WebGPU…), shown in the picker. */
  error = $state<{ name: string; message: string } | null>(null);
  readonly #engines: EngineState;
  readonly #makeEngine: () => WebLlmEngine;
  #engine: WebLlmEngine | null = null;

  constructor(engines: EngineState, makeEngine: () => WebLlmEngine = () => new WebLlmEngine()) {
    this.#engines = engines;
    this.#makeEngine = makeEngine;
  }

  get cacheBackend(): WebLlmCacheBackend {
    return this.#engines.settings.webllm.cacheBackend;
  }

  get customModels(): WebLlmCustomModel[] {
    return this.#engines.settings.webllm.customModels;
  }

  /** Reads the catalogue and the cache (once; `refresh` reads again). */
  async open(): Promise<void> {
    if (this.rows === null && !this.busy) await this.refresh();
  }

  async refresh(): Promise<void> {
    this.busy = true;
    try {
      const engine = await this.#configured();
      this.rows = await engine.catalogue();
      this.cached = await engine.cachedModels();
      this.error = null;
    } catch (err) {
      this.error = describeError(err);
      this.#engines.ps.notices.error(err, 'Listing web-llm models');
    } finally {
      this.busy = false;
    }
  }

  async deleteCached(modelId: string): Promise<void> {
    try {
      const engine = await this.#configured();
      await engine.deleteCachedModel(modelId);
      this.cached = await engine.cachedModels();
    } catch (err) {
      this.#engines.ps.notices.error(err, `Deleting ${modelId} from the cache`);
    }
  }

  async setCacheBackend(cacheBackend: WebLlmCacheBackend): Promise<void> {
    await this.#engines.saveWebLlm({ cacheBackend });
    try {
      this.cached = await (await this.#configured()).cachedModels();
    } catch (err) {
      this.#engines.ps.notices.error(err, 'Reading the model cache');
    }
  }

  /** Adds a custom model (or replaces one with the same id); returns the problem when the entry is unusable. */
  async addCustom(m: WebLlmCustomModel): Promise<string | null> {
    const clean = { modelId: m.modelId.trim(), modelUrl: m.modelUrl.trim(), modelLibUrl: m.modelLibUrl.trim() };
    const problem = checkCustomModel(clean);
    if (problem) return problem;
    await this.#engines.saveWebLlm({ customModels: withCustomModel(this.customModels, clean) });
    if (this.rows !== null) await this.refresh();
    return null;
  }

  async removeCustom(modelId: string): Promise<void> {
    await this.#engines.saveWebLlm({ customModels: this.customModels.filter((m) => m.modelId !== modelId) });
    if (this.rows !== null) await this.refresh();
  }

  /** Ends the picker's worker. */
  close(): void {
    this.#engine?.terminate();
    this.#engine = null;
  }

  async #configured(): Promise<WebLlmEngine> {
    this.#engine ??= this.#makeEngine();
    await this.#engine.configure($state.snapshot(this.#engines.settings.webllm));
    return this.#engine;
  }
}
