/**
 * EngineState with real engines in real Chromium: llama.cpp (wllama) on the tiny GGUF from a
 * dropped file and from a registered model's URL, and the OpenAI-compatible endpoint served by
 * the browser project's chat server. Checks the contract the stages build on: one instance when
 * both roles pick the same model, status/progress/errors per role, what is saved with the project
 * (never the API key), abort, and the engine recommendation.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { get, keys } from 'idb-keyval';
import { REGISTERED_MODEL_SCHEMA_VERSION, type RegisteredModel } from '../../../src/core/training/registered-model.ts';
import { EndpointForm } from '../../../src/state/engines/endpoint-form.svelte.ts';
import type { LoadProgress } from '../../../src/ports/llm.ts';
import { humpbackReply } from '../../support/humpback-replies.ts';
import { catalog, cleanUp, openProject, secretsDb, TINY_GGUF_URL, tinyGgufFile } from './helpers.ts';

afterEach(cleanUp);

const greedy = { messages: [{ role: 'user' as const, content: 'How can you be good?' }], temperature: 0, maxTokens: 8 };

describe('EngineState with llama.cpp on the tiny GGUF', () => {
  test('a dropped file chosen for both roles loads once, is shared, and unloads for both', async () => {
    const { engines } = await openProject();
    expect(engines.status('backward')).toBe('unset');
    expect(engines.describe('backward')).toBe('No model chosen');
    await engines.useDroppedGguf('backward', await tinyGgufFile());
    const choice = engines.choice('backward');
    expect(choice).toEqual({ engine: 'wllama', model: 'tiny-llama.gguf', label: 'tiny-llama.gguf', ggufUrl: null, fileName: 'tiny-llama.gguf' });
    await engines.setChoice('curator', choice);
    expect(engines.shared).toBe(true);
    expect(engines.sharedWith('backward')).toEqual(['curator']);
    expect(engines.sharedWith('rewriter')).toEqual([]);
    expect(engines.status('backward')).toBe('unset');

    const seen: LoadProgress[] = [];
    const loading = engines.llm('backward', { onProgress: (p) => seen.push(p) });
    expect(engines.status('backward')).toBe('loading');
    expect(engines.status('curator')).toBe('loading');
    const backward = await loading;
    expect(engines.status('backward')).toBe('ready');
    expect(engines.status('curator')).toBe('ready');
    expect(seen.at(-1)).toEqual({ fraction: 1, text: 'Loaded tiny-llama.gguf' });
    expect(engines.loadProgress('curator')).toEqual({ fraction: 1, text: 'Loaded tiny-llama.gguf' });
    expect(engines.describe('curator')).toBe('wllama · tiny-llama.gguf (CPU)');
    expect(await engines.llm('curator')).toBe(backward);

    const reply = await backward.complete(greedy);
    expect(reply.usage.completionTokens).toBe(8);
    expect(reply.text.trim().length).toBeGreaterThan(0);
    expect(reply.model).toBe('tiny-llama.gguf');

    await engines.unload('curator');
    expect(engines.status('backward')).toBe('unset');
    expect(engines.status('curator')).toBe('unset');
    await expect(backward.complete(greedy)).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
    const again = await engines.llm('curator');
    expect(again).not.toBe(backward);
    expect((await again.complete(greedy)).text).toBe(reply.text);
  });

  test('choices are saved with the project; a dropped file must be dropped again after a reload', async () => {
    const first = await openProject();
    await first.engines.useDroppedGguf('backward', await tinyGgufFile());
    await first.engines.useGgufUrl('curator', TINY_GGUF_URL);
    const stored = await catalog.getProject(first.ps.id);
    expect(stored?.settings.engines).toEqual({
      choices: {
        backward: { engine: 'wllama', model: 'tiny-llama.gguf', label: 'tiny-llama.gguf', ggufUrl: null, fileName: 'tiny-llama.gguf' },
        curator: { engine: 'wllama', model: 'tiny-llama.gguf', label: 'tiny-llama.gguf', ggufUrl: TINY_GGUF_URL, fileName: null },
        rewriter: null,
      },
      webllm: { cacheBackend: 'cache', customModels: [] },
    });
    expect(first.engines.shared).toBe(false);
    expect(first.engines.sharedWith('curator')).toEqual([]);

    // A "reload": a new EngineState over the same project, without the dropped file.
    const reloaded = await openProject({}, first.ps);
    expect(reloaded.engines.choice('backward')).toEqual(first.engines.choice('backward'));
    await expect(reloaded.engines.llm('backward')).rejects.toMatchObject({ name: 'DroppedFileGoneError' });
    expect(reloaded.engines.status('backward')).toBe('error');
    expect(reloaded.engines.lastError('backward')?.message).toContain('Drop the .gguf file again');
    // The URL choice still loads, with byte progress of the whole file.
    const seen: LoadProgress[] = [];
    await reloaded.engines.llm('curator', { onProgress: (p) => seen.push(p) });
    const size = (await tinyGgufFile()).size;
    expect(seen.filter((p) => p.totalBytes !== undefined).at(-1)).toMatchObject({ loadedBytes: size, totalBytes: size, fraction: 1 });
    expect(reloaded.engines.status('curator')).toBe('ready');
  });

  test('a corrupt GGUF gives GgufRejectedError, shown once in the notices; the next try loads again', async () => {
    const { ps, engines } = await openProject();
    await engines.useDroppedGguf('backward', new File([new Uint8Array(4096).fill(7)], 'broken.gguf'));
    await engines.prepare('backward');
    expect(engines.status('backward')).toBe('error');
    expect(engines.lastError('backward')?.name).toBe('GgufRejectedError');
    expect(ps.notices.items.map((n) => n.title)).toEqual(['Loading wllama · broken.gguf (CPU) failed']);
    expect(ps.notices.items[0]?.message).toContain('llama.cpp could not load "broken.gguf"');
    // Dropping a good file under the same name replaces the broken one.
    await engines.useDroppedGguf('backward', await tinyGgufFile('broken.gguf'));
    expect(engines.status('backward')).toBe('unset');
    await engines.llm('backward');
    expect(engines.status('backward')).toBe('ready');
  });

  test('an aborted wait rejects with AbortError and, with no one else waiting, drops the load', async () => {
    const { engines } = await openProject();
    await engines.useDroppedGguf('backward', await tinyGgufFile());
    const controller = new AbortController();
    const waiting = engines.llm('backward', { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(engines.status('backward')).toBe('unset');
    await expect(engines.llm('backward', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(engines.status('backward')).toBe('unset');
  });

  test('a registered model (trained as backward) is offered first for the backward role and loads from its URL', async () => {
    const { ps, engines } = await openProject();
    const model = (id: string, purpose: 'backward' | 'forward', at: number, engine: RegisteredModel['engine']): RegisteredModel => ({
      schemaVersion: REGISTERED_MODEL_SCHEMA_VERSION, id, label: `${id} (${purpose})`, purpose, jobId: null, engine, registeredAt: at,
    });
    const gguf = `${location.origin}${TINY_GGUF_URL}`;
    await ps.saveSetting('models', [
      model('fwd', 'forward', 2, { engine: 'webllm', model: 'fwd-q4f32_1-MLC', modelUrl: 'http://127.0.0.1:9/fwd/', modelLibUrl: 'http://127.0.0.1:9/fwd.wasm' }),
      model('bwd', 'backward', 1, { engine: 'wllama', model: 'bwd', ggufUrl: gguf }),
    ]);
    expect(engines.registered.map((m) => m.id)).toEqual(['fwd', 'bwd']);
    const [bwd, fwd] = [engines.registered[1], engines.registered[0]];
    if (!bwd || !fwd) throw new Error('registered models missing');
    await engines.useRegistered('backward', bwd);
    expect(engines.choice('backward')).toEqual({ engine: 'wllama', model: 'tiny-llama.gguf', label: 'bwd (backward)', ggufUrl: gguf, fileName: null });
    expect((await (await engines.llm('backward')).complete(greedy)).usage.completionTokens).toBe(8);
    await engines.useRegistered('curator', fwd);
    expect(engines.choice('curator')).toEqual({ engine: 'webllm', model: 'fwd-q4f32_1-MLC', label: 'fwd (forward)' });
    expect(engines.settings.webllm.customModels).toEqual([{ modelId: 'fwd-q4f32_1-MLC', modelUrl: 'http://127.0.0.1:9/fwd/', modelLibUrl: 'http://127.0.0.1:9/fwd.wasm' }]);
    expect(engines.describe('curator')).toBe('web-llm · fwd-q4f32_1-MLC (WebGPU)');
  });
});

describe('EngineState with an OpenAI-compatible endpoint', () => {
  const baseUrl = inject('chatServerUrl');

  test('lists the models, keeps the key out of the project, and replies through the shared client', async () => {
    const { ps, engines, secrets } = await openProject();
    const form = new EndpointForm(engines, 'curator');
    expect([form.concurrency, form.timeoutSeconds]).toEqual([8, 120]);
    form.baseUrl = `${baseUrl}/`;
    form.apiKey = 'sk-test-not-saved';
    await form.list();
    expect(form.error).toBeNull();
    expect(form.models).toEqual([{ id: 'test-model', contextWindow: 2048, ownedBy: 'chat-server' }]);
    expect(form.model).toBe('test-model');
    // the shared test server answers none of the type-specific routes: a generic server, no slots or n_ctx
    expect(form.facts).toEqual({ detected: 'generic', props: {} });
    form.concurrency = 4;
    form.timeoutSeconds = 30;
    await form.use();
    expect(engines.choice('curator')).toEqual({ engine: 'openai', model: 'test-model', label: 'test-model', baseUrl, concurrency: 4, timeoutMs: 30_000, server: 'auto' });
    expect(engines.describe('curator')).toBe(`endpoint · test-model at ${baseUrl}`);
    expect(engines.recommendation).toBeNull(); // the GPU is not read yet
    await engines.inspect();
    expect(engines.recommendation?.engine).toBe('openai');

    const llm = await engines.llm('curator');
    expect((await llm.capabilities()).concurrency).toBe(4);
    // verified at load: a generic server gets no grammar field; its logprobs answered the test request
    expect(engines.levers('curator')).toBe(
      'generic OpenAI-compatible · ratings not constrained (the server type is unknown, so no grammar field is sent (pick the server type if you know it)): ' +
        'the score is read from the text · expected scores from 20 alternatives · 4 at once · 2,048-token context',
    );
    const content = 'Whales breathe air through a blowhole.';
    const deltas: string[] = [];
    const reply = await llm.complete({ messages: [{ role: 'user', content }] }, { onDelta: (d) => deltas.push(d) });
    const expected = humpbackReply({ model: 'test-model', messages: [{ role: 'user', content }] });
    expect(reply.text).toBe(expected);
    expect(deltas.join('')).toBe(expected);

    expect(JSON.stringify(await catalog.getProject(ps.id))).not.toContain('sk-test-not-saved');
    expect(await secrets.get(`engine-endpoint:${baseUrl}`)).toBe('sk-test-not-saved');
    expect(await keys(secretsDb)).toEqual([]);
    form.remember = true;
    await form.use();
    expect(await get(`engine-endpoint:${baseUrl}`, secretsDb)).toBe('sk-test-not-saved');
    // A new key drops the client that used the old one.
    expect(engines.status('curator')).toBe('unset');
    const fresh = new EndpointForm(engines, 'curator');
    await fresh.readKey();
    expect([fresh.apiKey, fresh.remember, fresh.baseUrl]).toEqual(['sk-test-not-saved', true, baseUrl]);
  });

  test('an endpoint that is not there is explained in the form and the notices', async () => {
    const { ps, engines } = await openProject();
    const form = new EndpointForm(engines, 'backward');
    form.baseUrl = 'http://127.0.0.1:9/v1';
    await form.list();
    expect(form.models).toBeNull();
    expect(form.error?.name).toBe('EndpointUnreachableError');
    expect(ps.notices.items.map((n) => n.title)).toEqual(["Reading the endpoint's models failed"]);
    form.baseUrl = 'http://user:secret@127.0.0.1:9/v1';
    await form.list();
    expect(form.error?.name).toBe('EndpointUrlError');
    expect(form.error?.message).not.toContain('secret');
  });
});

describe('the recommendation', () => {
  test('no WebGPU → llama.cpp on the CPU; a configured endpoint → the endpoint', async () => {
    const { engines } = await openProject({ readGpu: async () => null });
    await engines.inspect();
    expect(engines.recommendation?.engine).toBe('wllama');
    expect(engines.recommendation?.reason).toMatch(/^This browser has no WebGPU, so llama.cpp runs a GGUF model on up to \d+ CPU threads/);
    await engines.setChoice('backward', { engine: 'openai', model: 'm', label: 'm', baseUrl: 'http://127.0.0.1:9/v1', concurrency: 8, timeoutMs: 120_000, server: 'auto' });
    expect(engines.recommendation).toEqual({ engine: 'openai', reason: 'This browser has no WebGPU, so your configured endpoint will be much faster than the CPU.' });
  });

  test('on this SwiftShader adapter: llama.cpp, because WebGPU is software here', async () => {
    const { engines } = await openProject();
    const gpu = await engines.inspect();
    expect(gpu?.isFallbackAdapter).toBe(true);
    expect(engines.recommendation?.engine).toBe('wllama');
    expect(engines.recommendation?.reason).toContain('WebGPU here is a software adapter');
  });
});

describe('sharing one load between callers', () => {
  test('one caller aborting does not stop the load another is waiting for', async () => {
    const { engines } = await openProject();
    await engines.useDroppedGguf('backward', await tinyGgufFile());
    await engines.setChoice('curator', engines.choice('backward'));
    const controller = new AbortController();
    const paused = engines.llm('backward', { signal: controller.signal });
    const waiting = engines.llm('curator');
    controller.abort();
    await expect(paused).rejects.toMatchObject({ name: 'AbortError' });
    expect(engines.status('curator')).toBe('loading');
    const llm = await waiting;
    expect(engines.status('backward')).toBe('ready');
    expect(await engines.llm('backward')).toBe(llm);
  });
});
