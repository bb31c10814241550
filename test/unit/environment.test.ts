import { describe, expect, it } from 'vitest';
import { describeGpu, formatBytes, type GpuFacts } from '../../src/core/environment.ts';
import { parseRoute, routeHref } from '../../src/core/routes.ts';

const swiftshader: GpuFacts = {
  api: true, adapter: true, vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true,
  features: ['subgroups', 'timestamp-query'],
  limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30, maxComputeWorkgroupStorageSize: 32768, maxComputeInvocationsPerWorkgroup: 256 },
  crossOriginIsolated: true, hardwareConcurrency: 2,
};

describe('describeGpu', () => {
  it('reads a software adapter without shader-f16 as limited, q4f32 only', () => {
    const r = describeGpu(swiftshader);
    expect(r.status).toBe('limited');
    expect(r.headline).toBe('WebGPU works, on a software adapter.');
    expect(r.shaderF16).toBe(false);
    expect(r.details).toContain('No 16-bit float shaders (shader-f16): only q4f32 model builds will work here; they need more memory.');
    expect(r.details.some((d) => d.startsWith('Largest buffer 1 GiB'))).toBe(true);
    expect(r.details.at(-1)).toBe('The CPU fallback (llama.cpp in WebAssembly) can use 2 threads.');
  });
  it('reads a real GPU with shader-f16 as ready', () => {
    const r = describeGpu({ ...swiftshader, vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false, features: ['shader-f16'], crossOriginIsolated: false });
    expect(r.status).toBe('ready');
    expect(r.details[0]).toBe('Adapter: nvidia · ampere.');
    expect(r.details[1]).toMatch(/q4f16/);
    expect(r.details.at(-1)).toMatch(/single-threaded/);
  });
  it('explains no WebGPU and no adapter', () => {
    expect(describeGpu({ api: false, adapter: false, features: [], crossOriginIsolated: false, hardwareConcurrency: 4 }).headline).toBe('This browser has no WebGPU.');
    const none = describeGpu({ api: true, adapter: false, error: 'blocklisted', features: [], crossOriginIsolated: true, hardwareConcurrency: 4 });
    expect(none.status).toBe('none');
    expect(none.details[0]).toMatch(/^The browser said: blocklisted\. Check/);
  });
  it('formats bytes', () => {
    expect(formatBytes(2 ** 30)).toBe('1 GiB');
    expect(formatBytes(1.5 * 2 ** 20)).toBe('1.5 MiB');
    expect(formatBytes(512)).toBe('512 B');
  });
});

describe('routes', () => {
  it('parses and builds hash routes', () => {
    expect(parseRoute('')).toEqual({ page: 'projects' });
    expect(parseRoute('#/p/p_abc/curate')).toEqual({ page: 'project', projectId: 'p_abc', step: 'curate' });
    expect(parseRoute('#/p/p_abc/nonsense')).toEqual({ page: 'project', projectId: 'p_abc', step: 'seed' });
    expect(parseRoute('#/p/%E0%A4%A')).toEqual({ page: 'project', projectId: '%E0%A4%A', step: 'seed' });
    expect(routeHref({ page: 'project', projectId: 'a b', step: 'review' })).toBe('#/p/a%20b/review');
  });
});
