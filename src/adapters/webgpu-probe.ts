/**
 * Asks the browser what WebGPU adapter it grants. Works on the main thread and in workers.
 * Chromium moved `isFallbackAdapter` from the adapter to `adapter.info`; both are read.
 */
import type { GpuFacts } from '../core/environment.ts';

export async function probeGpu(nav: Navigator = navigator): Promise<GpuFacts> {
  const base = {
    features: [] as string[],
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: nav.hardwareConcurrency ?? 1,
  };
  const gpu = nav.gpu as GPU | undefined;
  if (!gpu) return { ...base, api: false, adapter: false };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return { ...base, api: true, adapter: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (!adapter) return { ...base, api: true, adapter: false };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  return {
    ...base,
    api: true,
    adapter: true,
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter ?? legacy.isFallbackAdapter ?? false,
    features: [...adapter.features].sort(),
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}
