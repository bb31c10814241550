/**
 * What the browser offers for running models, as one frozen record of facts plus a plain-words
 * reading of it. The probe (adapters/webgpu-probe.ts) gathers the facts; everything here is pure.
 */
export interface GpuLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
}

export interface GpuFacts {
  /** `navigator.gpu` exists (the browser knows WebGPU at all). */
  api: boolean;
  /** An adapter was granted. */
  adapter: boolean;
  /** Why there is no adapter, when known. */
  error?: string;
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  features: string[];
  limits?: GpuLimits;
  /** Cross-origin isolated: multi-threaded WebAssembly available (wllama). */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface GpuReport {
  status: 'ready' | 'limited' | 'none';
  headline: string;
  details: string[];
  shaderF16: boolean;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(n % GiB === 0 ? 0 : 1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

export function describeGpu(f: GpuFacts): GpuReport {
  const shaderF16 = f.features.includes('shader-f16');
  const threads = f.crossOriginIsolated
    ? `The CPU fallback (llama.cpp in WebAssembly) can use ${f.hardwareConcurrency} threads.`
    : 'The page is not cross-origin isolated, so the CPU fallback runs single-threaded (the host must send COOP/COEP headers).';
  if (!f.api) {
    return {
      status: 'none',
      headline: 'This browser has no WebGPU.',
      details: [
        'Models cannot run on the GPU here. Use a recent Chrome, Edge or another browser with WebGPU enabled, or pick the CPU engine (slow, small models) or an OpenAI-compatible endpoint.',
        threads,
      ],
      shaderF16,
    };
  }
  if (!f.adapter) {
    return {
      status: 'none',
      headline: 'WebGPU is present but no GPU adapter was granted.',
      details: [
        `${f.error ? `The browser said: ${f.error}. ` : ''}Check that hardware acceleration is on and the GPU driver is not blocklisted (chrome://gpu), or use the CPU engine or an endpoint.`,
        threads,
      ],
      shaderF16,
    };
  }
  const name = [f.vendor, f.architecture, f.description].filter((s) => s && s.length > 0).join(' · ') || 'unnamed adapter';
  const details = [`Adapter: ${name}.`];
  if (f.isFallbackAdapter) details.push('This is a software (fallback) adapter: models will run, but far slower than on a real GPU.');
  details.push(
    shaderF16
      ? 'Supports 16-bit float shaders (shader-f16): the smaller, faster q4f16 model builds can be used.'
      : 'No 16-bit float shaders (shader-f16): only q4f32 model builds will work here; they need more memory.',
  );
  if (f.limits) {
    details.push(
      `Largest buffer ${formatBytes(f.limits.maxBufferSize)}, largest storage binding ${formatBytes(f.limits.maxStorageBufferBindingSize)} — a model whose largest weight exceeds this will not load.`,
    );
  }
  details.push(threads);
  return {
    status: f.isFallbackAdapter ? 'limited' : 'ready',
    headline: f.isFallbackAdapter ? 'WebGPU works, on a software adapter.' : 'WebGPU is ready.',
    details,
    shaderF16,
  };
}
