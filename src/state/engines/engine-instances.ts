/**
 * Turning a saved EngineChoice into a loaded engine: which adapter to build, with which settings,
 * and how its load reports progress. Kept apart from EngineState (which decides when to load,
 * what to share and what to show) so that file stays about roles and status.
 *
 * llama.cpp's glue (wllama) is imported when a GGUF engine is first built, not with the page.
 *
 * Progress is normalised to EngineLoadProgress: web-llm reads bytes and ETA out of its own
 * report text; a GGUF download gets its ETA from a rate window over the bytes.
 */
import { OpenAiEndpoint } from '../../adapters/openai/client.ts';
import { WebLlmEngine } from '../../adapters/webllm/webllm-engine.ts';
import { DroppedFileGoneError, type EngineChoice, type EngineSettings } from '../../core/engines/choice.ts';
import { RateWindow } from '../../core/progress.ts';
import type { Llm, LoadProgress } from '../../ports/llm.ts';
import type { SecretStore } from '../../adapters/trainer/secrets.ts';

export interface EngineLoadProgress extends LoadProgress {
  /** Seconds left, when a download can estimate it. */
  etaSeconds?: number;
}

/** What building an engine needs from the rest of the app; tests pass their own. */
export interface EngineFactory {
  secrets: SecretStore;
  /** Dropped .gguf files by name (kept in memory only). */
  droppedFile(name: string): File | undefined;
  /** Offload llama.cpp to WebGPU (only worth it on a hardware adapter). */
  wllamaOnGpu(): Promise<boolean>;
  webllmSettings(): EngineSettings['webllm'];
  /** Give up on a web-llm download that brings no progress for this long. */
  webllmStallTimeoutMs: number;
  /** llama.cpp context size in tokens. */
  wllamaContextSize: number;
}

/** The secret store id of an endpoint's API key (one key per base URL, shared by both roles). */
export function endpointSecretId(baseUrl: string): string {
  return `engine-endpoint:${baseUrl.trim().replace(/\/+$/, '')}`;
}

export async function buildEngine(choice: EngineChoice, f: EngineFactory): Promise<Llm> {
  if (choice.engine === 'openai') {
    const apiKey = (await f.secrets.get(endpointSecretId(choice.baseUrl))) ?? undefined;
    return new OpenAiEndpoint({
      baseUrl: choice.baseUrl,
      concurrency: choice.concurrency,
      timeoutMs: choice.timeoutMs,
      // Check grammar and logprobs with a test request each, so a run never counts on a lever the server ignores.
      verify: true,
      ...(choice.server !== 'auto' ? { server: choice.server } : {}),
      ...(apiKey ? { apiKey } : {}),
    });
  }
  if (choice.engine === 'webllm') {
    const { cacheBackend, customModels } = f.webllmSettings();
    return new WebLlmEngine({ cacheBackend, customModels, stallTimeoutMs: f.webllmStallTimeoutMs });
  }
  const { WllamaEngine } = await import('../../adapters/wllama/wllama-engine.ts');
  return new WllamaEngine({ gpu: await f.wllamaOnGpu(), contextSize: f.wllamaContextSize });
}

export async function loadEngine(
  llm: Llm,
  choice: EngineChoice,
  f: EngineFactory,
  options: { signal: AbortSignal; onProgress: (p: EngineLoadProgress) => void },
): Promise<void> {
  if (choice.engine === 'wllama' && llm instanceof (await import('../../adapters/wllama/wllama-engine.ts')).WllamaEngine) {
    const source = choice.ggufUrl ?? f.droppedFile(choice.fileName ?? '');
    if (source === undefined) throw new DroppedFileGoneError(choice.fileName ?? choice.model);
    const rate = new RateWindow();
    await llm.load(source, {
      signal: options.signal,
      onProgress: (p) => {
        const out: EngineLoadProgress = { ...p };
        if (p.loadedBytes !== undefined && p.totalBytes) {
          rate.add({ at: performance.now(), done: p.loadedBytes });
          const { etaSeconds } = rate.estimate(p.totalBytes);
          if (etaSeconds !== null && p.fraction < 1) out.etaSeconds = etaSeconds;
        }
        options.onProgress(out);
      },
    });
    return;
  }
  await llm.load(choice.model, options);
}

/** Frees what an engine holds: the model, and web-llm's worker (with its GPU device). */
export async function disposeEngine(llm: Llm): Promise<void> {
  await llm.unload().catch(() => undefined);
  if (llm instanceof WebLlmEngine) llm.terminate();
}
