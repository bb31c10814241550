/**
 * Which engine to suggest, from what the browser offers: web-llm on a hardware WebGPU adapter,
 * an OpenAI-compatible endpoint when one is configured and the corpus is large (or there is no
 * GPU), and llama.cpp on the CPU (wllama) otherwise. The user can always pick another.
 */
import { chooseVariant, type GpuFacts } from './gpu.ts';

export type EngineName = 'webllm' | 'wllama' | 'openai';

export interface EngineEnvironment {
  /** The WebGPU adapter, or null when `navigator.gpu` is missing or gives no adapter. */
  gpu: GpuFacts | null;
  /** An OpenAI-compatible endpoint with a model is set up in this project. */
  endpointConfigured: boolean;
  /** Segments to process; large corpora finish sooner on a server. */
  corpusSegments: number;
  /** Cross-origin isolated pages can run llama.cpp on several threads. */
  crossOriginIsolated: boolean;
  cores: number;
}

export interface EngineRecommendation {
  engine: EngineName;
  reason: string;
}

/** Above this many segments an endpoint is suggested even when the GPU could do it. */
export const LARGE_CORPUS_SEGMENTS = 20_000;

export function recommendEngine(env: EngineEnvironment): EngineRecommendation {
  const hardwareGpu = env.gpu && !env.gpu.isFallbackAdapter ? env.gpu : null;
  if (env.endpointConfigured && env.corpusSegments > LARGE_CORPUS_SEGMENTS) {
    return {
      engine: 'openai',
      reason: `${env.corpusSegments.toLocaleString('en')} segments is a lot for one browser: your endpoint can run many requests at once.`,
    };
  }
  if (hardwareGpu) {
    return {
      engine: 'webllm',
      reason: `This browser has a hardware WebGPU adapter${hardwareGpu.description ? ` (${hardwareGpu.description})` : ''}: web-llm runs the model on it. ${chooseVariant(hardwareGpu).reason}`,
    };
  }
  if (env.endpointConfigured) {
    return {
      engine: 'openai',
      reason: env.gpu
        ? 'WebGPU here is a software adapter (no hardware acceleration), so your configured endpoint will be much faster.'
        : 'This browser has no WebGPU, so your configured endpoint will be much faster than the CPU.',
    };
  }
  const threads = env.crossOriginIsolated ? `on up to ${Math.max(1, Math.floor(env.cores / 2))} CPU threads` : 'on one CPU thread (the page is not cross-origin isolated)';
  return {
    engine: 'wllama',
    reason: `${env.gpu ? 'WebGPU here is a software adapter' : 'This browser has no WebGPU'}, so llama.cpp runs a GGUF model ${threads}. Use a small model, or set up an OpenAI-compatible endpoint for large corpora.`,
  };
}
