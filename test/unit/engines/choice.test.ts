import { describe, expect, test } from 'vitest';
import {
  checkCustomModel,
  checkGgufUrl,
  choiceFromEngineModel,
  describeChoice,
  ggufName,
  instanceKey,
  readEngineSettings,
  registeredForRole,
  type EngineChoice,
} from '../../../src/core/engines/choice.ts';
import { REGISTERED_MODEL_SCHEMA_VERSION, type RegisteredModel } from '../../../src/core/training/registered-model.ts';

const endpoint: EngineChoice = { engine: 'openai', model: 'llama', label: 'Llama', baseUrl: 'http://h:8000/v1', concurrency: 8, timeoutMs: 120_000, server: 'auto' };

describe('reading the saved engine settings', () => {
  test('missing or malformed settings fall back to nothing chosen and the Cache API', () => {
    const empty = { choices: { backward: null, curator: null, rewriter: null }, webllm: { cacheBackend: 'cache', customModels: [] } };
    expect(readEngineSettings(undefined)).toEqual(empty);
    expect(readEngineSettings('x')).toEqual(empty);
    expect(readEngineSettings({ choices: { backward: { engine: 'gpt', model: 'x' }, curator: { engine: 'wllama', model: 'm' } }, webllm: { cacheBackend: 'floppy' } })).toEqual(empty);
  });

  test('keeps valid choices, repairs bad numbers, drops bad custom models', () => {
    const s = readEngineSettings({
      choices: {
        backward: { ...endpoint, concurrency: 0, timeoutMs: 'soon', apiKey: 'sk-leak', server: 'lmstudio' },
        curator: { engine: 'wllama', model: 'a.gguf', ggufUrl: 'https://x/a.gguf' },
        rewriter: { engine: 'webllm', model: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' },
      },
      webllm: { cacheBackend: 'opfs', customModels: [{ modelId: 'm', modelUrl: 'https://x/m/', modelLibUrl: 'https://x/m.wasm', vramMB: 900 }, { modelId: 'bad' }] },
    });
    expect(s).toEqual({
      choices: {
        backward: { ...endpoint, concurrency: 8, timeoutMs: 120_000 },
        curator: { engine: 'wllama', model: 'a.gguf', label: 'a.gguf', ggufUrl: 'https://x/a.gguf', fileName: null },
        rewriter: { engine: 'webllm', model: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', label: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' },
      },
      webllm: { cacheBackend: 'opfs', customModels: [{ modelId: 'm', modelUrl: 'https://x/m/', modelLibUrl: 'https://x/m.wasm', vramMB: 900 }] },
    });
  });
});

describe('sharing and describing', () => {
  test('the label does not change the instance; the endpoint settings and the file do', () => {
    expect(instanceKey({ ...endpoint, label: 'other' })).toBe(instanceKey(endpoint));
    expect(instanceKey({ ...endpoint, concurrency: 4 })).not.toBe(instanceKey(endpoint));
    expect(instanceKey({ ...endpoint, server: 'vllm' })).not.toBe(instanceKey(endpoint));
    expect(instanceKey({ engine: 'wllama', model: 'a', label: 'a', ggufUrl: null, fileName: 'a.gguf' })).toBe('wllama|file|a.gguf');
    expect(instanceKey({ engine: 'wllama', model: 'a', label: 'a', ggufUrl: '/a.gguf', fileName: null })).toBe('wllama|url|/a.gguf');
    expect(instanceKey({ engine: 'webllm', model: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', label: 'x' })).toBe('webllm|Llama-3.2-1B-Instruct-q4f32_1-MLC');
  });

  test('one line per engine', () => {
    expect(describeChoice(null)).toBe('No model chosen');
    expect(describeChoice({ engine: 'wllama', model: 'tiny-llama.gguf', label: 't', ggufUrl: null, fileName: 'tiny-llama.gguf' })).toBe('wllama · tiny-llama.gguf (CPU)');
    expect(describeChoice({ engine: 'wllama', model: 'a.gguf', label: 'a', ggufUrl: '/a.gguf', fileName: null }, { wllamaOnGpu: true })).toBe('wllama · a.gguf (WebGPU)');
    expect(describeChoice(endpoint)).toBe('endpoint · llama at http://h:8000/v1');
    expect(describeChoice({ engine: 'webllm', model: 'M-q4f32_1-MLC', label: 'M' })).toBe('web-llm · M-q4f32_1-MLC (WebGPU)');
  });

  test('GGUF names and URL checks', () => {
    expect(ggufName('https://hf.co/x/resolve/main/My%20Model.Q4.gguf?download=1')).toBe('My Model.Q4.gguf');
    expect(checkGgufUrl('/test/fixtures/tiny-llama.gguf')).toBeNull();
    expect(checkGgufUrl('https://x/m.gguf?dl=1')).toBeNull();
    expect(checkGgufUrl('')).toBe('Enter the address of a .gguf file, or drop the file.');
    expect(checkGgufUrl('https://x/m.bin')).toBe('The address must point at a .gguf file; got "https://x/m.bin".');
    expect(checkGgufUrl('file:///m.gguf')).toBe('The address must start with http:// or https://; got "file:///m.gguf".');
  });

  test('custom web-llm models need an id, a weights URL and a .wasm library', () => {
    const ok = { modelId: 'm-q4f32_1-MLC', modelUrl: 'https://x/m/', modelLibUrl: 'https://x/m.wasm' };
    expect(checkCustomModel(ok)).toBeNull();
    expect(checkCustomModel({ ...ok, modelId: ' ' })).toBe('Give the model an id (e.g. my-backward-llama-q4f32_1-MLC).');
    expect(checkCustomModel({ ...ok, modelUrl: 'x' })).toContain('The model URL must be an http(s) address');
    expect(checkCustomModel({ ...ok, modelLibUrl: 'https://x/m.so' })).toBe('The model library URL must be an http(s) address of a .wasm file; got "https://x/m.so".');
  });
});

describe('registered models', () => {
  const reg = (id: string, purpose: 'backward' | 'forward', at: number): RegisteredModel => ({
    schemaVersion: REGISTERED_MODEL_SCHEMA_VERSION, id, label: id, purpose, jobId: null, engine: { engine: 'openai', model: id, baseUrl: 'http://h/v1' }, registeredAt: at,
  });

  test('the role’s own purpose first, newest first within it', () => {
    const list = [reg('f1', 'forward', 1), reg('b1', 'backward', 1), reg('b2', 'backward', 2), reg('f2', 'forward', 2)];
    expect(registeredForRole(list, 'backward').map((m) => m.id)).toEqual(['b2', 'b1', 'f2', 'f1']);
    expect(registeredForRole(list, 'curator').map((m) => m.id)).toEqual(['f2', 'f1', 'b2', 'b1']);
  });

  test('become choices with the endpoint defaults or the GGUF name', () => {
    expect(choiceFromEngineModel({ engine: 'openai', model: 'ft:m', baseUrl: 'http://h/v1' }, 'Mine')).toEqual({
      engine: 'openai', model: 'ft:m', label: 'Mine', baseUrl: 'http://h/v1', concurrency: 8, timeoutMs: 120_000, server: 'auto',
    });
    expect(choiceFromEngineModel({ engine: 'wllama', model: 'bwd', ggufUrl: 'https://x/bwd-q8.gguf' }, 'B')).toEqual({
      engine: 'wllama', model: 'bwd-q8.gguf', label: 'B', ggufUrl: 'https://x/bwd-q8.gguf', fileName: null,
    });
  });
});
