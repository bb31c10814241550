/**
 * web-llm's MLCEngine, driven from inside a dedicated worker (workers/webllm.worker.ts exposes
 * an instance with comlink). This is the only module that imports `@mlc-ai/web-llm` at run time:
 * it is one 6 MB module, so the main thread only ever sees its types.
 *
 * Errors leave as HumpbackErrors (name + message survive comlink); callbacks arrive as
 * `Comlink.proxy` functions.
 *
 * KV reuse (read from web-llm 0.2.86's engine.ts `preparePrefillInput` / `compareConversationObject`):
 * the KV cache survives between requests only for multi-round chat — when a request's messages
 * before the last equal the conversation the pipeline holds (its earlier turns plus the reply it
 * just gave, and that reply did not end by `length` or `abort`). Anything else calls `resetChat()`,
 * which clears the cache; there is no prefix cache. Our items are independent requests that share
 * a prefix but never continue each other's conversation, so nothing can be reused, whatever the
 * template layout. We never reset the chat ourselves, so a caller that does continue a
 * conversation (Try it) keeps the reuse web-llm offers.
 */
import {
  MLCEngine,
  deleteModelAllInfoInCache,
  hasModelInCache,
  prebuiltAppConfig,
  type AppConfig,
  type ModelRecord,
} from '@mlc-ai/web-llm';
import type { LlmCapabilities, LlmReply, LlmRequest } from '../../ports/llm.ts';
import { describeError, HumpbackError } from '../../core/errors.ts';
import { buildCatalogue, type CatalogueEntry } from '../../core/engines/catalogue.ts';
import { GpuDeviceLostError, ModelDownloadError, ModelNotLoadedError, WebGpuUnavailableError } from '../../core/engines/errors.ts';
import type { GpuFacts } from '../../core/engines/gpu.ts';
import { readGpuFacts } from '../engine-environment.ts';
import { readWebLlmProgress, type DownloadProgress } from '../../core/engines/progress.ts';
import { StreamedReply, toReply, toWebLlmBody, WEBLLM_MAX_TOP_LOGPROBS } from './chat.ts';

/** A model the user brought: e.g. a fine-tuned backward model the trainer compiled for web-llm. */
export interface CustomModel {
  modelId: string;
  /** Base URL of the MLC weights (holds mlc-chat-config.json and the param shards). */
  modelUrl: string;
  /** URL of the compiled model library (.wasm). */
  modelLibUrl: string;
  vramMB?: number;
  contextWindow?: number;
}

export interface WebLlmSettings {
  cacheBackend: 'cache' | 'indexeddb' | 'opfs';
  customModels: CustomModel[];
  /** Give up on a download that brings no progress for this long. */
  stallTimeoutMs: number;
}

export const DEFAULT_WEBLLM_SETTINGS: WebLlmSettings = { cacheBackend: 'cache', customModels: [], stallTimeoutMs: 60_000 };

export class WebLlmWorkerEngine {
  #settings: WebLlmSettings = DEFAULT_WEBLLM_SETTINGS;
  #engine: MLCEngine | null = null;
  #modelId = '';

  configure(settings: Partial<WebLlmSettings>): void {
    this.#settings = { ...this.#settings, ...settings };
  }

  appConfig(): AppConfig {
    const custom: ModelRecord[] = this.#settings.customModels.map((m) => ({
      model: m.modelUrl,
      model_id: m.modelId,
      model_lib: m.modelLibUrl,
      ...(m.vramMB !== undefined ? { vram_required_MB: m.vramMB } : {}),
      ...(m.contextWindow !== undefined ? { overrides: { context_window_size: m.contextWindow } } : {}),
    }));
    return { model_list: [...custom, ...prebuiltAppConfig.model_list], cacheBackend: this.#settings.cacheBackend };
  }

  /** The adapter's features and limits, read inside the worker (navigator.gpu works there). */
  async gpu(): Promise<GpuFacts> {
    if (!('gpu' in navigator) || !navigator.gpu) throw new WebGpuUnavailableError('navigator.gpu is missing');
    const facts = await readGpuFacts(navigator.gpu);
    if (!facts) throw new WebGpuUnavailableError('no WebGPU adapter was offered');
    return facts;
  }

  async catalogue(deviceMemoryGB: number | null = null): Promise<CatalogueEntry[]> {
    return buildCatalogue(this.appConfig().model_list, await this.gpu(), deviceMemoryGB);
  }

  async cachedModels(): Promise<string[]> {
    const config = this.appConfig();
    const cached: string[] = [];
    for (const m of config.model_list) {
      if (await hasModelInCache(m.model_id, config).catch(() => false)) cached.push(m.model_id);
    }
    return cached;
  }

  async deleteCachedModel(modelId: string): Promise<void> {
    await deleteModelAllInfoInCache(modelId, this.appConfig());
  }

  async load(modelId: string, onProgress?: (p: DownloadProgress) => void): Promise<void> {
    await this.gpu();
    await this.unload();
    const engine = new MLCEngine({ appConfig: this.appConfig(), logLevel: 'ERROR' });
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      const arm = () => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(
          () => reject(new ModelDownloadError(modelId, `no progress for ${Math.round(this.#settings.stallTimeoutMs / 1000)} s`)),
          this.#settings.stallTimeoutMs,
        );
      };
      arm();
      engine.setInitProgressCallback((report) => {
        arm();
        onProgress?.(readWebLlmProgress(report));
      });
    });
    try {
      await Promise.race([engine.reload(modelId), stalled]);
    } catch (err) {
      await engine.unload().catch(() => undefined);
      throw classifyLoadError(modelId, err);
    } finally {
      clearTimeout(stallTimer);
    }
    this.#engine = engine;
    this.#modelId = modelId;
  }

  async complete(request: LlmRequest, onDelta?: (delta: string) => void): Promise<LlmReply> {
    const engine = this.#engine;
    if (!engine) throw new ModelNotLoadedError('web-llm');
    const wantLogprobs = request.topLogprobs !== undefined;
    try {
      if (!onDelta) {
        const res = await engine.chat.completions.create({ ...toWebLlmBody(request), stream: false });
        return toReply(res, this.#modelId, wantLogprobs);
      }
      const streamed = new StreamedReply(onDelta);
      const chunks = await engine.chat.completions.create({
        ...toWebLlmBody(request),
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of chunks) streamed.add(chunk);
      return streamed.reply(this.#modelId, wantLogprobs);
    } catch (err) {
      throw classifyRunError(err);
    }
  }

  async interrupt(): Promise<void> {
    await this.#engine?.interruptGenerate();
  }

  async unload(): Promise<void> {
    const engine = this.#engine;
    this.#engine = null;
    this.#modelId = '';
    await engine?.unload();
  }

  async capabilities(): Promise<LlmCapabilities> {
    const record = this.appConfig().model_list.find((m) => m.model_id === this.#modelId);
    return {
      logprobs: true,
      maxTopLogprobs: WEBLLM_MAX_TOP_LOGPROBS,
      grammar: true,
      jsonSchema: true,
      seed: true,
      // web-llm runs one generation at a time per loaded model.
      concurrency: 1,
      contextWindow: record?.overrides?.context_window_size ?? 4096,
    };
  }
}

const DOWNLOAD_FAILURE = /fetch|network|download|status|404|403|cache\.add|Failed to|Load failed/i;

function classifyLoadError(modelId: string, err: unknown): Error {
  if (err instanceof HumpbackError) return err;
  const { name, message } = describeError(err);
  if (name === 'WebGPUNotAvailableError' || name === 'WebGPUNotFoundError') return new WebGpuUnavailableError(message, { cause: err });
  if (name === 'DeviceLostError' || /device (was )?lost/i.test(message)) return new GpuDeviceLostError(message, { cause: err });
  if (name === 'TypeError' || DOWNLOAD_FAILURE.test(message)) return new ModelDownloadError(modelId, message, { cause: err });
  return new HumpbackError(name === 'Error' ? 'ModelLoadError' : name, message, { cause: err });
}

function classifyRunError(err: unknown): Error {
  const { name, message } = describeError(err);
  if (name === 'DeviceLostError' || /device (was )?lost/i.test(message)) return new GpuDeviceLostError(message, { cause: err });
  return err instanceof Error ? err : new HumpbackError(name, message);
}
