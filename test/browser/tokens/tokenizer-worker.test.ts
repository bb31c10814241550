/**
 * The tokenizer worker in real Chromium: transformers.js builds the tiny model's tokenizer from
 * files this site serves (test/fixtures/tokenizer/, made by make-tiny-tokenizer.ts), counts and
 * cuts texts off the main thread, stops on cancel, keeps the files in the Cache API, and names
 * what went wrong when the files cannot be had.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startTokenWorker, type TokenWorker } from '../../../src/adapters/tokenizer/client.ts';
import { TOKENIZER_CACHE } from '../../../src/adapters/tokenizer/tokenizer-files.ts';
import { failure } from '../../support/failure.ts';

const FOLDER = '/test/fixtures/tokenizer/';
const workers: TokenWorker[] = [];
function started(): TokenWorker {
  const w = startTokenWorker();
  workers.push(w);
  return w;
}
afterEach(() => workers.splice(0).forEach((w) => w.terminate()));

const text = 'Score the answer. Is it good? Write "how to" answer!\n\nThe end of it is here.';

describe('tokenizer worker', () => {
  test('loads the tokenizer from a folder URL and says which one is in use', async () => {
    const { tokenizer } = started();
    const seen: string[] = [];
    const info = await tokenizer.load({ kind: 'repo', url: FOLDER }, { onProgress: (p) => seen.push(p.file) });
    expect(info).toEqual({
      key: new URL(FOLDER, location.href).href,
      name: 'tokenizer',
      tokenizerClass: 'LlamaTokenizer',
      vocabSize: 427,
      hasChatTemplate: true,
      addsBos: true,
    });
    expect(new Set(seen)).toEqual(new Set(['tokenizer.json', 'tokenizer_config.json']));
    expect(await tokenizer.info()).toEqual(info);
  });

  test('counts texts with the model vocabulary, in order', async () => {
    const { tokenizer } = started();
    await tokenizer.load({ kind: 'repo', url: FOLDER });
    expect(await tokenizer.count(['Score the answer.', text, '', 'wörld ✓'])).toEqual([4, 39, 0, 10]);
  });

  test('counts a whole chat prompt with the chat template and one <s>', async () => {
    const { tokenizer } = started();
    await tokenizer.load({ kind: 'repo', url: FOLDER });
    const [content] = await tokenizer.count(['Score the answer.']);
    const [open, close, reply] = await tokenizer.count(['<|im_start|>user\n', '<|im_end|>\n', '<|im_start|>assistant\n']);
    // Counted in node with the same files (test/unit/tokens): 4, 16, 11, 18.
    expect([content, open, close, reply]).toEqual([4, 16, 11, 18]);
    expect(await tokenizer.countChat([{ role: 'user', content: 'Score the answer.' }])).toBe(1 + 16 + 4 + 11 + 18);
  });

  test('cuts texts at the last sentence end within the limit, and reports those that cannot be cut', async () => {
    const { tokenizer } = started();
    await tokenizer.load({ kind: 'repo', url: FOLDER });
    expect(await tokenizer.truncate([text, 'Short.', text], 21)).toEqual([
      { text: 'Score the answer. Is it good?', tokens: 10, originalTokens: 39, cut: 'sentence' },
      { text: 'Short.', tokens: 5, originalTokens: 5, cut: 'fits' },
      { text: 'Score the answer. Is it good?', tokens: 10, originalTokens: 39, cut: 'sentence' },
    ]);
    expect(await tokenizer.truncate([text], 3)).toEqual([{ text: '', tokens: 0, originalTokens: 39, cut: 'none-fits' }]);
  });

  test('loads the same tokenizer from dropped files', async () => {
    const { tokenizer } = started();
    const [json, config] = await Promise.all(['tokenizer.json', 'tokenizer_config.json'].map(async (f) => (await fetch(FOLDER + f)).blob()));
    const info = await tokenizer.load({ kind: 'files', tokenizer: json as Blob, config: config as Blob, name: 'tiny-llama' });
    expect(info.key).toBe('files:tiny-llama');
    expect(info.vocabSize).toBe(427);
    expect(await tokenizer.count([text])).toEqual([39]);
  });

  test('keeps fetched files in the Cache API for the next visit', async () => {
    await caches.delete(TOKENIZER_CACHE);
    const { tokenizer } = started();
    await tokenizer.load({ kind: 'repo', url: FOLDER });
    const keys = (await (await caches.open(TOKENIZER_CACHE)).keys()).map((r) => new URL(r.url).pathname).sort();
    expect(keys).toEqual([`${FOLDER}tokenizer.json`, `${FOLDER}tokenizer_config.json`]);
  });

  test('reports progress and stops on cancel', async () => {
    const { tokenizer } = started();
    await tokenizer.load({ kind: 'repo', url: FOLDER });
    const many = Array.from({ length: 200_000 }, (_, i) => `${text} ${i}`);
    const controller = new AbortController();
    const progress: number[] = [];
    const err = await failure(
      tokenizer.count(many, {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p.done);
          controller.abort();
        },
      }),
    );
    expect(err.name).toBe('AbortError');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toBeLessThan(many.length);
    // The worker is free again after a cancel.
    expect(await tokenizer.count(['Score the answer.'])).toEqual([4]);
  });

  test('names a missing folder, an unreachable host, and a wrong file', async () => {
    const { tokenizer } = started();
    const missing = await failure(tokenizer.load({ kind: 'repo', url: '/test/fixtures/no-such-model/' }));
    expect(missing.name).toBe('TokenizerUnavailableError');
    expect(missing.message).toContain('tokenizer.json: HTTP 404, not in that folder');
    expect(missing.message).toContain('drop those two files');

    const unreachable = await failure(tokenizer.load({ kind: 'repo', url: 'http://127.0.0.1:9/models/x/' }));
    expect(unreachable.name).toBe('TokenizerUnavailableError');
    expect(unreachable.message).toContain('Could not load the tokenizer from http://127.0.0.1:9/models/x/ (tokenizer.json:');

    const wrong = await failure(
      tokenizer.load({ kind: 'files', tokenizer: new Blob(['[1,2]']), config: new Blob(['{}']), name: 'wrong' }),
    );
    expect(wrong.name).toBe('TokenizerUnavailableError');
    expect(wrong.message).toContain('tokenizer.json is not a JSON object');

    const notLoaded = await failure(tokenizer.count(['a']));
    expect(notLoaded.name).toBe('TokenizerNotLoadedError');
  });
});
