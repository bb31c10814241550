import { describe, expect, test } from 'vitest';
import { formatEta, readWebLlmProgress } from '../../../src/core/engines/progress.ts';
import { recommendEngine, type EngineEnvironment } from '../../../src/core/engines/recommend.ts';
import { GIB, type GpuFacts } from '../../../src/core/engines/gpu.ts';

const MB = 1024 * 1024;

describe('readWebLlmProgress', () => {
  test('a download report gives bytes, an estimated total and an ETA', () => {
    const p = readWebLlmProgress({
      progress: 0.25,
      timeElapsed: 30,
      text: 'Fetching param cache[5/20]: 200MB fetched. 25% completed, 30 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
    });
    expect(p).toEqual({
      fraction: 0.25,
      phase: 'download',
      loadedBytes: 200 * MB,
      totalBytes: 800 * MB,
      etaSeconds: 90,
      text: 'Downloading: 200 MB of 800 MB (25%) · about 2 min left',
    });
  });
  test('loading from cache and compiling shaders have no ETA', () => {
    expect(readWebLlmProgress({ progress: 0.5, timeElapsed: 3, text: 'Loading model from cache[10/20]: 400MB loaded. 50% completed, 3 secs elapsed.' })).toEqual({
      fraction: 0.5,
      phase: 'cache',
      loadedBytes: 400 * MB,
      totalBytes: 800 * MB,
      text: 'Loading from the browser cache onto the GPU (50%)',
    });
    expect(readWebLlmProgress({ progress: 0.1, timeElapsed: 1, text: 'Loading GPU shader modules[10/100]: 10% completed, 1 secs elapsed.' })).toEqual({
      fraction: 0.1,
      phase: 'shaders',
      text: 'Compiling GPU shaders (10%)',
    });
    expect(readWebLlmProgress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' })).toEqual({ fraction: 0, phase: 'other', text: 'Start to fetch params' });
  });
  test('formatEta', () => {
    expect([formatEta(42), formatEta(150), formatEta(3 * 3600 + 20 * 60)]).toEqual(['42 s', '3 min', '3 h 20 min']);
  });
});

describe('recommendEngine', () => {
  const hw: GpuFacts = { features: ['shader-f16'], maxStorageBufferBindingSize: 2 * GIB, maxBufferSize: 2 * GIB, isFallbackAdapter: false, vendor: 'nvidia', description: 'RTX 3060' };
  const soft: GpuFacts = { ...hw, features: [], isFallbackAdapter: true, vendor: 'google', description: 'SwiftShader' };
  const env: EngineEnvironment = { gpu: hw, endpointConfigured: false, corpusSegments: 500, crossOriginIsolated: true, cores: 8 };

  test('a hardware GPU gets web-llm, with the variant reason', () => {
    const r = recommendEngine(env);
    expect(r.engine).toBe('webllm');
    expect(r.reason).toContain('(RTX 3060)');
    expect(r.reason).toContain('q4f16');
  });
  test('a large corpus with an endpoint goes to the endpoint even with a GPU', () => {
    expect(recommendEngine({ ...env, endpointConfigured: true, corpusSegments: 50_000 })).toEqual({
      engine: 'openai',
      reason: '50,000 segments is a lot for one browser: your endpoint can run many requests at once.',
    });
    expect(recommendEngine({ ...env, endpointConfigured: true }).engine).toBe('webllm');
  });
  test('a software adapter or no WebGPU: the endpoint when configured, llama.cpp otherwise', () => {
    expect(recommendEngine({ ...env, gpu: soft, endpointConfigured: true }).engine).toBe('openai');
    expect(recommendEngine({ ...env, gpu: null })).toEqual({
      engine: 'wllama',
      reason: 'This browser has no WebGPU, so llama.cpp runs a GGUF model on up to 4 CPU threads. Use a small model, or set up an OpenAI-compatible endpoint for large corpora.',
    });
    expect(recommendEngine({ ...env, gpu: soft, crossOriginIsolated: false }).reason).toContain(
      'WebGPU here is a software adapter, so llama.cpp runs a GGUF model on one CPU thread (the page is not cross-origin isolated).',
    );
  });
});
