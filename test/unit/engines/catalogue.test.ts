import { describe, expect, test } from 'vitest';
import { buildCatalogue, checkFit, parseModelId, type ModelRecordFacts } from '../../../src/core/engines/catalogue.ts';
import { chooseVariant, GIB, type GpuFacts } from '../../../src/core/engines/gpu.ts';

const swiftShader: GpuFacts = {
  features: ['subgroups', 'timestamp-query'],
  maxStorageBufferBindingSize: GIB,
  maxBufferSize: GIB,
  isFallbackAdapter: true,
  vendor: 'google',
  description: 'SwiftShader',
};
const laptop: GpuFacts = { ...swiftShader, features: ['shader-f16'], isFallbackAdapter: false, vendor: 'apple', description: 'Apple M2' };
const phone: GpuFacts = { ...laptop, maxStorageBufferBindingSize: 128 * 1024 ** 2 };

const records: ModelRecordFacts[] = [
  { model_id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', vram_required_MB: 944.62, low_resource_required: true },
  { model_id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', vram_required_MB: 1060.2, low_resource_required: true },
  { model_id: 'Llama-3.1-8B-Instruct-q4f32_1-MLC', vram_required_MB: 6101.01, low_resource_required: false, overrides: { context_window_size: 4096 } },
  { model_id: 'Llama-3.1-8B-Instruct-q4f16_1-MLC', vram_required_MB: 5001, low_resource_required: false, overrides: { context_window_size: 4096 } },
  { model_id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', vram_required_MB: 1128.82, low_resource_required: true },
  { model_id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', vram_required_MB: 879.04, low_resource_required: true },
  { model_id: 'Mistral-7B-Instruct-v0.2-q4f16_1-MLC', vram_required_MB: 4573.39, required_features: ['shader-f16'] },
  { model_id: 'snowflake-arctic-embed-s-q0f32-MLC-b4', vram_required_MB: 238.71, model_type: 1 },
  { model_id: 'gemma-2b-it-q4f32_1-MLC-1k', vram_required_MB: 1750.66, low_resource_required: true, buffer_size_required_bytes: 262144000 },
];

describe('parseModelId', () => {
  test.each([
    ['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'Llama-3.2-1B-Instruct', 'q4f16_1', 1, 'Llama'],
    ['SmolLM2-360M-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct', 'q4f32_1', 0.36, 'SmolLM'],
    ['stablelm-2-zephyr-1_6b-q4f16_1-MLC-1k', 'stablelm-2-zephyr-1_6b (1k context)', 'q4f16_1', 1.6, 'stablelm'],
    ['Phi-3.5-mini-instruct-q4f32_1-MLC', 'Phi-3.5-mini-instruct', 'q4f32_1', null, 'Phi'],
    ['TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC', 'TinyLlama-1.1B-Chat-v1.0', 'q4f32_1', 1.1, 'Llama'],
    ['my-finetune', 'my-finetune', 'unknown', null, 'my'],
  ])('%s', (id, base, quantization, paramsB, family) => {
    expect(parseModelId(id)).toEqual({ base, quantization, paramsB, family });
  });
});

describe('chooseVariant', () => {
  test('f32 without shader-f16, saying why', () => {
    const v = chooseVariant(swiftShader);
    expect(v.quantization).toBe('q4f32_1');
    expect(v.reason).toContain('no shader-f16');
    expect(v.reason).toContain('q4f16 models cannot run here');
  });
  test('f16 with shader-f16', () => {
    const v = chooseVariant(laptop);
    expect(v.quantization).toBe('q4f16_1');
    expect(v.reason).toContain('smaller download');
  });
});

describe('checkFit', () => {
  test('an f16 build cannot run without shader-f16, even when the record does not list the feature', () => {
    const fit = checkFit({ model_id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', low_resource_required: true }, swiftShader);
    expect(fit.runs).toBe(false);
    expect(fit.warnings[0]).toBe('Needs 16-bit float shaders (shader-f16), which this GPU does not offer; pick the q4f32 variant.');
    expect(fit.warnings[1]).toBe('This is a software GPU (no hardware acceleration): generation will be very slow.');
  });
  test('small buffer limits warn about models not built for low-resource devices and reject oversized buffers', () => {
    const big = checkFit({ model_id: 'Llama-3.1-8B-Instruct-q4f16_1-MLC', low_resource_required: false }, phone);
    expect(big).toEqual({
      runs: true,
      warnings: ['This GPU allows buffers of only 128 MB; the model is not built for such devices and may fail to load. Prefer a "1k context" or smaller model.'],
    });
    const gemma = checkFit(records[8]!, phone);
    expect(gemma.runs).toBe(false);
    expect(gemma.warnings[0]).toBe('Needs GPU buffers of 250 MB, larger than this GPU allows (128 MB).');
  });
  test('GPU memory need against the device memory', () => {
    expect(checkFit(records[3]!, laptop, 8).warnings).toEqual([
      'Needs about 4.9 GB of GPU memory; this device reports 8 GB of memory in all, so it may run out. Prefer a smaller model.',
    ]);
    expect(checkFit(records[3]!, laptop, 16)).toEqual({ runs: true, warnings: [] });
    expect(checkFit(records[3]!, laptop, null)).toEqual({ runs: true, warnings: [] });
  });
});

describe('buildCatalogue', () => {
  test('without shader-f16: LLaMA first, smaller first, q4f32 chosen, f16-only models last with the reason', () => {
    const rows = buildCatalogue(records, swiftShader);
    expect(rows.map((r) => [r.base, r.chosen?.modelId ?? null])).toEqual([
      ['Llama-3.2-1B-Instruct', 'Llama-3.2-1B-Instruct-q4f32_1-MLC'],
      ['Llama-3.1-8B-Instruct', 'Llama-3.1-8B-Instruct-q4f32_1-MLC'],
      ['Qwen2.5-0.5B-Instruct', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'],
      ['gemma-2b-it (1k context)', 'gemma-2b-it-q4f32_1-MLC-1k'],
      ['Mistral-7B-Instruct-v0.2', null],
    ]);
    expect(rows[0]?.reason).toBe(chooseVariant(swiftShader).reason);
    expect(rows[0]?.variants.map((v) => [v.quantization, v.vramMB, v.fit.runs])).toEqual([
      ['q4f32_1', 1128.82, true],
      ['q4f16_1', 879.04, false],
    ]);
    expect(rows[1]?.variants[0]?.contextWindow).toBe(4096);
    expect(rows[4]?.reason).toBe('Needs 16-bit float shaders (shader-f16), which this GPU does not offer; pick the q4f32 variant.');
  });
  test('with shader-f16 the q4f16 builds are chosen; a model with only a q4f32 build says so', () => {
    const rows = buildCatalogue(records, laptop);
    expect(rows.map((r) => r.chosen?.modelId)).toEqual([
      'Llama-3.2-1B-Instruct-q4f16_1-MLC',
      'Llama-3.1-8B-Instruct-q4f16_1-MLC',
      'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      'gemma-2b-it-q4f32_1-MLC-1k',
      'Mistral-7B-Instruct-v0.2-q4f16_1-MLC',
    ]);
    expect(rows[3]?.reason).toBe('Only the q4f32_1 build of this model runs here.');
  });
});
