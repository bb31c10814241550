/**
 * The llama.cpp-in-WebAssembly engine (@wllama/wllama): runs GGUF models on the CPU (or WebGPU where
 * wllama can), for browsers without WebGPU and for GGUF models a trainer produced. Loads from a URL
 * (kept in wllama's OPFS cache) or a dropped .gguf File/Blob.
 *
 * The wasm comes from the package through Vite's `?url` (no CDN); wllama's "compat" mode, which
 * would fetch a different build from jsDelivr on browsers without JSPI, is switched off.
 *
 * KV reuse: llama.cpp's server code runs inside wllama 3.8 with one slot (`n_parallel: 1`, our
 * requests are sequential). With `cache_prompt` (chat.ts sends it) the slot keeps the last
 * request's tokens in its KV cache and the next request evaluates only what follows the longest
 * common prefix; llama.cpp also keeps earlier prompts in a RAM prompt cache and restores the most
 * similar one. So everything our static-first templates put before the item (role, rubric, rules,
 * few-shot examples) is evaluated once per run, not once per item. Replies report the reused
 * tokens as `usage.cachedPromptTokens` (llama.cpp `timings.cache_n`); `npm run bench -- --filter
 * prefix` measures the share evaluated.
 */
import { Wllama, type LoadModelParams } from '@wllama/wllama/esm/index.js';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type { CompleteOptions, Llm, LlmCapabilities, LlmReply, LlmRequest, LoadOptions } from '../../ports/llm.ts';
import { AbortedError, describeError } from '../../core/errors.ts';
import { GgufDownloadError, GgufRejectedError, ModelNotLoadedError } from '../../core/engines/errors.ts';
import { StreamedReply, toChatBody, toReply } from './chat.ts';

export interface WllamaEngineOptions {
  /** Context size in tokens (KV cache); llama.cpp caps nothing, so keep it to what the model was trained on. */
  contextSize?: number;
  /** CPU threads; wllama's default is half the cores (multi-threading needs cross-origin isolation). */
  threads?: number;
  /** 'auto' offloads to WebGPU only on a hardware adapter (a software adapter is slower than the CPU). */
  gpu?: 'auto' | boolean;
  /** Print llama.cpp's own log lines to the console. */
  nativeLog?: boolean;
  /** Where the wllama wasm is served; defaults to the copy inside the package. */
  wasmPath?: string;
}

/** Loaded-context fields wllama returns at run time but does not declare. */
interface LoadedInfo {
  success?: boolean;
  n_ctx: number;
}

export class WllamaEngine implements Llm {
  readonly engine = 'wllama' as const;
  #wllama: Wllama | null = null;
  #model = '';
  #contextWindow = 0;
  #inFlight = new Set<AbortController>();

  constructor(private options: WllamaEngineOptions = {}) {}

  /** `model` is a URL of a .gguf file, or the File/Blob the user dropped. */
  async load(model: string | Blob, options: LoadOptions = {}): Promise<void> {
    await this.unload();
    const source = typeof model === 'string' ? model : model instanceof File ? model.name : 'the dropped file';
    const wllama = new Wllama({ default: this.options.wasmPath ?? wasmUrl }, {
      suppressNativeLog: !this.options.nativeLog,
      logger: quietLogger,
    });
    wllama.setCompat(null);
    const params: LoadModelParams = {
      n_ctx: this.options.contextSize ?? 2048,
      n_parallel: 1,
      n_gpu_layers: (await this.#useGpu()) ? 99999 : 0,
    };
    if (this.options.threads !== undefined) params.n_threads = this.options.threads;
    options.onProgress?.({ fraction: 0, text: `Loading ${source}` });
    try {
      if (typeof model === 'string') {
        await wllama.loadModelFromUrl(model, {
          ...params,
          ...(options.signal ? { signal: options.signal } : {}),
          progressCallback: ({ loaded, total }) =>
            options.onProgress?.({
              fraction: total > 0 ? loaded / total : 0,
              loadedBytes: loaded,
              totalBytes: total,
              text: `Downloading ${source}`,
            }),
        });
      } else {
        await wllama.loadModel([model], params);
      }
    } catch (err) {
      await wllama.exit().catch(() => undefined);
      if (options.signal?.aborted) throw new AbortedError('Model loading was cancelled.');
      throw classifyLoadError(source, typeof model === 'string', err);
    }
    const info = wllama.getLoadedContextInfo() as unknown as LoadedInfo; // `success` is returned but not typed
    if (info.success === false) {
      await wllama.exit().catch(() => undefined);
      throw new GgufRejectedError(source, 'llama.cpp reported that the model failed to load');
    }
    this.#wllama = wllama;
    this.#model = source;
    this.#contextWindow = info.n_ctx;
    options.onProgress?.({ fraction: 1, text: `Loaded ${source}` });
  }

  async complete(request: LlmRequest, options: CompleteOptions = {}): Promise<LlmReply> {
    const wllama = this.#wllama;
    if (!wllama) throw new ModelNotLoadedError('llama.cpp');
    const controller = new AbortController();
    const stopOnOuter = () => controller.abort();
    options.signal?.addEventListener('abort', stopOnOuter);
    if (options.signal?.aborted) controller.abort();
    this.#inFlight.add(controller);
    const streamed = new StreamedReply(request.topLogprobs, options.onDelta);
    try {
      const body = { ...toChatBody(request), abortSignal: controller.signal };
      if (!options.onDelta) return toReply(await wllama.createChatCompletion({ ...body, stream: false }), this.#model, request.topLogprobs);
      await wllama.createChatCompletion({ ...body, stream: true, onData: (chunk) => streamed.add(chunk) });
      return streamed.reply(this.#model);
    } catch (err) {
      if (controller.signal.aborted) return streamed.reply(this.#model, 'abort');
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', stopOnOuter);
      this.#inFlight.delete(controller);
    }
  }

  async interrupt(): Promise<void> {
    for (const c of this.#inFlight) c.abort();
  }

  async unload(): Promise<void> {
    await this.interrupt();
    const wllama = this.#wllama;
    this.#wllama = null;
    this.#model = '';
    this.#contextWindow = 0;
    await wllama?.exit();
  }

  async capabilities(): Promise<LlmCapabilities> {
    return {
      logprobs: true,
      // llama-server clamps n_probs to what the caller asks; 20 mirrors OpenAI's limit.
      maxTopLogprobs: 20,
      grammar: true,
      jsonSchema: true,
      seed: true,
      concurrency: 1,
      contextWindow: this.#contextWindow,
    };
  }

  async #useGpu(): Promise<boolean> {
    const gpu = this.options.gpu ?? 'auto';
    if (gpu !== 'auto') return gpu;
    const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
    return !!adapter && !adapter.info.isFallbackAdapter;
  }
}

function classifyLoadError(source: string, fromUrl: boolean, err: unknown) {
  const { message } = describeError(err);
  const type = (err as { type?: unknown } | null)?.type;
  if (fromUrl && (type === 'download_error' || /fetch|network|download|HTTP|status/i.test(message))) {
    return new GgufDownloadError(source, message, { cause: err });
  }
  return new GgufRejectedError(source, message, { cause: err });
}

/** wllama logs every step at debug level; keep warnings and errors only. */
const quietLogger = {
  debug: () => {},
  log: () => {},
  warn: (...a: unknown[]) => console.warn(...a),
  error: (...a: unknown[]) => console.error(...a),
};
