/**
 * The web-llm engine in its worker, in real Chromium with WebGPU on. Here the adapter is
 * Chromium's SwiftShader (software, no shader-f16) and there is no internet: the worker must
 * start, list models, pick the q4f32 builds and say why, and turn the failed download into a
 * named error that says what to do — without hanging or leaving an unhandled rejection.
 * (That the page itself never imports web-llm is checked on the import graph in
 * test/unit/engines/webllm-main-thread.test.ts: Chromium lists a worker's module fetches in the
 * page's resource timeline too, so the timeline cannot tell.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebLlmEngine } from '../../../src/adapters/webllm/webllm-engine.ts';

const unhandled: unknown[] = [];
const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);
let engine: WebLlmEngine;

beforeAll(() => {
  window.addEventListener('unhandledrejection', onUnhandled);
  engine = new WebLlmEngine({ stallTimeoutMs: 20_000 });
});

afterAll(() => {
  engine.terminate();
  window.removeEventListener('unhandledrejection', onUnhandled);
});

describe('web-llm worker on a software WebGPU adapter, offline', () => {
  test('the worker reads the adapter: SwiftShader fallback without shader-f16', async () => {
    const gpu = await engine.gpu();
    expect(gpu.isFallbackAdapter).toBe(true);
    expect(gpu.features).not.toContain('shader-f16');
    expect(gpu.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  test('lists chat models LLaMA first, choosing q4f32 builds and saying why', async () => {
    const rows = await engine.catalogue(null);
    expect(rows.length).toBeGreaterThan(20);
    const firstOther = rows.findIndex((r) => r.family !== 'Llama');
    expect(firstOther).toBeGreaterThan(0);
    expect(rows.slice(firstOther).every((r) => r.family !== 'Llama')).toBe(true);
    const llama1b = rows.find((r) => r.base === 'Llama-3.2-1B-Instruct');
    expect(llama1b?.chosen?.modelId).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(llama1b?.chosen?.vramMB).toBe(1128.82);
    expect(llama1b?.reason).toContain('no shader-f16');
    expect(llama1b?.chosen?.fit.warnings).toContain('This is a software GPU (no hardware acceleration): generation will be very slow.');
    for (const r of rows) {
      if (r.chosen) expect(r.chosen.quantization).not.toMatch(/f16/);
    }
    expect(rows.some((r) => r.base.startsWith('snowflake-arctic-embed'))).toBe(false);
  });

  test('nothing is cached yet, with either cache backend', async () => {
    expect(await engine.cachedModels()).toEqual([]);
    await engine.configure({ cacheBackend: 'indexeddb' });
    expect(await engine.cachedModels()).toEqual([]);
    await engine.configure({ cacheBackend: 'cache' });
  });

  test('an offline download fails with ModelDownloadError saying what to do, and the worker stays usable', async () => {
    const progress: number[] = [];
    const err = await engine
      .load('Llama-3.2-1B-Instruct-q4f32_1-MLC', { onProgress: (p) => progress.push(p.fraction) })
      .then(() => null, (e: unknown) => e as Error);
    expect(err?.name).toBe('ModelDownloadError');
    expect(err?.message).toContain('Downloading the model "Llama-3.2-1B-Instruct-q4f32_1-MLC" failed');
    expect(err?.message).toContain('Check your connection');
    expect(progress.every((f) => f === 0)).toBe(true);
    await expect(engine.complete({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      name: 'ModelNotLoadedError',
    });
    expect((await engine.capabilities()).maxTopLogprobs).toBe(5);
  });

  test('a custom model URL is listed and its failed download is named too', async () => {
    await engine.configure({
      customModels: [{ modelId: 'backward-llama-q4f32_1-MLC', modelUrl: 'http://127.0.0.1:9/backward/', modelLibUrl: 'http://127.0.0.1:9/backward.wasm', vramMB: 900 }],
    });
    const rows = await engine.catalogue(null);
    const custom = rows.find((r) => r.base === 'backward-llama');
    expect(custom?.chosen?.modelId).toBe('backward-llama-q4f32_1-MLC');
    expect(custom?.family).toBe('Llama');
    const err = await engine.load('backward-llama-q4f32_1-MLC').then(() => null, (e: unknown) => e as Error);
    expect(err?.name).toBe('ModelDownloadError');
    expect(err?.message).toContain('"backward-llama-q4f32_1-MLC"');
  });

  test('no unhandled rejection reached the page', () => {
    expect(unhandled).toEqual([]);
  });
});
