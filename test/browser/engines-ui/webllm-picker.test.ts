/**
 * The web-llm picker state over its real worker, on this SwiftShader adapter and offline: the
 * catalogue with q4f32 builds, nothing cached, the cache backend saved with the project, and a
 * custom model checked, saved, listed and removed.
 */
import { afterEach, expect, test } from 'vitest';
import { catalog, cleanUp, openProject } from './helpers.ts';

afterEach(cleanUp);

test('catalogue, cache backend and custom models, saved with the project', async () => {
  const { ps, engines } = await openProject();
  const picker = engines.webllmPicker;
  await picker.open();
  expect(picker.error).toBeNull();
  const llama = picker.rows?.find((r) => r.base === 'Llama-3.2-1B-Instruct');
  expect(llama?.chosen?.modelId).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
  expect(picker.rows?.[0]?.family).toBe('Llama');
  expect(picker.cached).toEqual([]);

  await picker.setCacheBackend('indexeddb');
  expect(picker.cacheBackend).toBe('indexeddb');
  expect(picker.cached).toEqual([]);

  expect(await picker.addCustom({ modelId: 'mine-q4f32_1-MLC', modelUrl: 'http://127.0.0.1:9/mine/', modelLibUrl: 'http://127.0.0.1:9/mine.so' })).toBe(
    'The model library URL must be an http(s) address of a .wasm file; got "http://127.0.0.1:9/mine.so".',
  );
  expect(picker.customModels).toEqual([]);
  expect(await picker.addCustom({ modelId: ' mine-q4f32_1-MLC ', modelUrl: 'http://127.0.0.1:9/mine/', modelLibUrl: 'http://127.0.0.1:9/mine.wasm' })).toBeNull();
  const mine = picker.rows?.find((r) => r.base === 'mine');
  expect(mine?.chosen?.modelId).toBe('mine-q4f32_1-MLC');
  expect((await catalog.getProject(ps.id))?.settings.engines).toMatchObject({
    webllm: { cacheBackend: 'indexeddb', customModels: [{ modelId: 'mine-q4f32_1-MLC', modelUrl: 'http://127.0.0.1:9/mine/', modelLibUrl: 'http://127.0.0.1:9/mine.wasm' }] },
  });

  await picker.removeCustom('mine-q4f32_1-MLC');
  expect(picker.customModels).toEqual([]);
  expect(picker.rows?.some((r) => r.base === 'mine')).toBe(false);
  expect(ps.notices.items).toEqual([]);
});
