/**
 * The web-llm engine as the page sees it: an Llm over a dedicated worker (comlink). web-llm itself
 * is never imported here (`import type` only), so the page does not load its 6 MB module.
 *
 * Errors cross the worker as name + message; they are rebuilt as HumpbackErrors with the same
 * name so the UI can switch on it. After a lost GPU device the model is reloaded once and the
 * request retried, so a run resumes by itself.
 */
import * as Comlink from 'comlink';
import type { CompleteOptions, Llm, LlmCapabilities, LlmReply, LlmRequest, LoadOptions } from '../../ports/llm.ts';
import { describeError, HumpbackError, AbortedError } from '../../core/errors.ts';
import type { CatalogueEntry } from '../../core/engines/catalogue.ts';
import type { GpuFacts } from '../../core/engines/gpu.ts';
import type { DownloadProgress } from '../../core/engines/progress.ts';
import type { WebLlmSettings, WebLlmWorkerEngine } from './worker-engine.ts';

export type { CustomModel, WebLlmSettings } from './worker-engine.ts';

export function startWebLlmWorker(): Worker {
  return new Worker(new URL('../../../workers/webllm.worker.ts', import.meta.url), { type: 'module', name: 'web-llm' });
}

export class WebLlmEngine implements Llm {
  readonly engine = 'webllm' as const;
  #worker: Worker;
  #remote: Comlink.Remote<WebLlmWorkerEngine>;
  #model: string | null = null;

  constructor(settings: Partial<WebLlmSettings> = {}, worker: Worker = startWebLlmWorker()) {
    this.#worker = worker;
    this.#remote = Comlink.wrap<WebLlmWorkerEngine>(worker);
    void this.#remote.configure(settings);
  }

  configure(settings: Partial<WebLlmSettings>): Promise<void> {
    return this.#call(() => this.#remote.configure(settings));
  }

  gpu(): Promise<GpuFacts> {
    return this.#call(() => this.#remote.gpu());
  }

  /** Chat models for the picker, LLaMA family first, with the variant this GPU should use and why. */
  catalogue(deviceMemoryGB: number | null = deviceMemory()): Promise<CatalogueEntry[]> {
    return this.#call(() => this.#remote.catalogue(deviceMemoryGB));
  }

  cachedModels(): Promise<string[]> {
    return this.#call(() => this.#remote.cachedModels());
  }

  deleteCachedModel(modelId: string): Promise<void> {
    return this.#call(() => this.#remote.deleteCachedModel(modelId));
  }

  async load(modelId: string, options: LoadOptions & { onProgress?: (p: DownloadProgress) => void } = {}): Promise<void> {
    const { onProgress, signal } = options;
    const stop = () => void this.#remote.unload();
    signal?.addEventListener('abort', stop);
    try {
      await this.#call(() => this.#remote.load(modelId, onProgress ? Comlink.proxy(onProgress) : undefined));
      if (signal?.aborted) throw new AbortedError('Model loading was cancelled.');
      this.#model = modelId;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  async complete(request: LlmRequest, options: CompleteOptions = {}): Promise<LlmReply> {
    try {
      return await this.#completeOnce(request, options);
    } catch (err) {
      if (describeError(err).name !== 'GpuDeviceLostError' || !this.#model || options.signal?.aborted) throw err;
      await this.load(this.#model);
      return this.#completeOnce(request, options);
    }
  }

  async #completeOnce(request: LlmRequest, { signal, onDelta }: CompleteOptions): Promise<LlmReply> {
    if (signal?.aborted) throw new AbortedError();
    const stop = () => void this.#remote.interrupt();
    signal?.addEventListener('abort', stop);
    try {
      return await this.#call(() => this.#remote.complete(request, onDelta ? Comlink.proxy(onDelta) : undefined));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  interrupt(): Promise<void> {
    return this.#call(() => this.#remote.interrupt());
  }

  async unload(): Promise<void> {
    this.#model = null;
    await this.#call(() => this.#remote.unload());
  }

  capabilities(): Promise<LlmCapabilities> {
    return this.#call(() => this.#remote.capabilities());
  }

  /** Ends the worker (and frees its GPU device). */
  terminate(): void {
    this.#remote[Comlink.releaseProxy]();
    this.#worker.terminate();
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const { name, message } = describeError(err);
      throw new HumpbackError(name, message, { cause: err });
    }
  }
}

/** navigator.deviceMemory (GB, Chromium only), used to warn about models too large for the machine. */
function deviceMemory(): number | null {
  const n = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return typeof n === 'number' ? n : null;
}
