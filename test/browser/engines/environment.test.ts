/** What this Chromium offers (SwiftShader WebGPU, no shader-f16) and the engine recommended from it. */
import { expect, test } from 'vitest';
import { readEngineEnvironment, readGpuFacts } from '../../../src/adapters/engine-environment.ts';
import { recommendEngine } from '../../../src/core/engines/recommend.ts';

test('the page reads the software adapter and is recommended llama.cpp, or the endpoint when one is set up', async () => {
  const env = await readEngineEnvironment({ endpointConfigured: false, corpusSegments: 1000 });
  expect(env.gpu?.isFallbackAdapter).toBe(true);
  expect(env.gpu?.features).not.toContain('shader-f16');
  expect(env.cores).toBe(navigator.hardwareConcurrency);
  expect(env.crossOriginIsolated).toBe(crossOriginIsolated);
  const rec = recommendEngine(env);
  expect(rec.engine).toBe('wllama');
  expect(rec.reason).toMatch(/^WebGPU here is a software adapter, so llama.cpp runs a GGUF model/);
  expect(recommendEngine({ ...env, endpointConfigured: true }).engine).toBe('openai');
});

test('no WebGPU gives null facts', async () => {
  expect(await readGpuFacts(null)).toBeNull();
});
