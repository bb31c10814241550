/**
 * The embedding path with no model to download (none can be fetched here): the real loading code
 * runs until transformers.js asks for the model's files, and the step ends with a named error that
 * says what to do — promptly, for a missing model and for a host that does not answer. Requests to
 * any other host are refused before they leave the page.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { startTokenWorker } from '../../../src/adapters/tokenizer/client.ts';
import { hostOnlyFetch } from '../../../src/adapters/tokenizer/offline.ts';
import { failure } from '../../support/failure.ts';

const worker = startTokenWorker();
afterAll(() => worker.terminate());

describe('embedding model loading, offline', () => {
  test('a model the chosen host does not have ends in EmbeddingModelUnavailableError', async () => {
    const err = await failure(worker.embedder.load({ host: location.origin, model: 'humpback/no-such-minilm', dtype: 'q8' }));
    expect(err.name).toBe('EmbeddingModelUnavailableError');
    expect(err.message).toContain(`Could not load the sentence-embedding model humpback/no-such-minilm from ${location.origin}`);
    expect(err.message).toContain('skip this optional step');
  });

  test('a host that refuses the connection ends in the same named error, not a hang', async () => {
    const err = await failure(worker.embedder.load({ host: 'http://127.0.0.1:9', model: 'Xenova/all-MiniLM-L6-v2' }));
    expect(err.name).toBe('EmbeddingModelUnavailableError');
    expect(err.message).toContain('Xenova/all-MiniLM-L6-v2 from http://127.0.0.1:9');
  });

  test('embedding before a model is loaded is a named error', async () => {
    const err = await failure(worker.embedder.embed(['a']));
    expect(err.name).toBe('EmbedderNotLoadedError');
  });

  test('requests to a host other than the chosen one (or this site) are refused without leaving the page', async () => {
    const get = hostOnlyFetch('https://huggingface.co');
    const err = await failure(get('https://cdn.jsdelivr.net/npm/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'));
    expect(err).toEqual({
      name: 'RefusedHostError',
      message: 'refused to fetch https://cdn.jsdelivr.net/npm/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm: only https://huggingface.co (the host you chose) and this site are allowed',
    });
    const own = await get('/test/fixtures/tokenizer/tokenizer_config.json');
    expect(((await own.json()) as { tokenizer_class: string }).tokenizer_class).toBe('LlamaTokenizer');
  });
});
