/**
 * Reads what the browser offers for running models — the WebGPU adapter's features and limits,
 * cross-origin isolation, cores — as the plain facts `recommendEngine` and the model catalogue
 * take. Works on the page and inside a worker (navigator.gpu exists in both).
 */
import type { GpuFacts } from '../core/engines/gpu.ts';
import type { EngineEnvironment } from '../core/engines/recommend.ts';

/** The adapter's facts, or null when there is no WebGPU or it offers no adapter. */
export async function readGpuFacts(gpu: GPU | null = globalThis.navigator?.gpu ?? null): Promise<GpuFacts | null> {
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return null;
  return {
    features: [...adapter.features].sort(),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    isFallbackAdapter: adapter.info.isFallbackAdapter ?? false,
    vendor: adapter.info.vendor,
    description: adapter.info.description || adapter.info.architecture || adapter.info.vendor,
  };
}

export async function readEngineEnvironment(project: { endpointConfigured: boolean; corpusSegments: number }): Promise<EngineEnvironment> {
  return {
    gpu: await readGpuFacts(),
    endpointConfigured: project.endpointConfigured,
    corpusSegments: project.corpusSegments,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    cores: globalThis.navigator?.hardwareConcurrency ?? 1,
  };
}
