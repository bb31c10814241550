/**
 * The llama.cpp (wllama) engine on the tiny random-weight GGUF the repository ships: real tokens,
 * logprobs, grammar and JSON-schema decoding, streaming and abort, in real Chromium, no download.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { WllamaEngine } from '../../../src/adapters/wllama/wllama-engine.ts';
import type { LlmRequest } from '../../../src/ports/llm.ts';

const MODEL_URL = '/test/fixtures/tiny-llama.gguf';
const engines: WllamaEngine[] = [];

async function loaded(model: string | Blob = MODEL_URL): Promise<WllamaEngine> {
  const engine = new WllamaEngine({ gpu: false, contextSize: 512 });
  engines.push(engine);
  await engine.load(model);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.unload()));
});

const greedy: LlmRequest = {
  messages: [{ role: 'user', content: 'Write the answer to this: how can you be good?' }],
  temperature: 0,
  maxTokens: 12,
};

describe('wllama engine on the tiny GGUF', () => {
  test('loads with byte progress and reports its capabilities', async () => {
    const engine = new WllamaEngine({ gpu: false, contextSize: 512 });
    engines.push(engine);
    const fractions: number[] = [];
    let total = 0;
    await engine.load(MODEL_URL, {
      onProgress: (p) => {
        fractions.push(p.fraction);
        total = p.totalBytes ?? total;
      },
    });
    const file = await (await fetch(MODEL_URL)).arrayBuffer();
    expect(total).toBe(file.byteLength);
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(await engine.capabilities()).toEqual({
      logprobs: true,
      maxTopLogprobs: 20,
      grammar: true,
      jsonSchema: true,
      seed: true,
      concurrency: 1,
      contextWindow: 512,
    });
  });

  test('temperature 0 gives the same text across two fresh loads, from a URL and from a dropped file', async () => {
    const first = await (await loaded()).complete(greedy);
    await Promise.all(engines.splice(0).map((e) => e.unload()));
    const bytes = await (await fetch(MODEL_URL)).blob();
    const second = await (await loaded(new File([bytes], 'tiny-llama.gguf'))).complete(greedy);
    expect(first.text.trim().length).toBeGreaterThan(0);
    expect(second.text).toBe(first.text);
    expect(first.finishReason).toBe('length');
    expect(first.usage.completionTokens).toBe(12);
    expect(second.usage).toEqual(first.usage); // fresh loads: nothing cached either time
    expect(second.model).toBe('tiny-llama.gguf');
  });

  test('a fixed seed repeats a temperature-1 sample', async () => {
    const engine = await loaded();
    const sampled = { ...greedy, temperature: 1, topP: 0.9, seed: 7, maxTokens: 16 };
    const a = await engine.complete(sampled);
    const b = await engine.complete(sampled);
    expect(b.text).toBe(a.text);
    expect(a.usage.completionTokens).toBe(16);
  });

  test('logprobs are present and sane: one per token, ≤ 0, alternatives sorted, greedy picks the best', async () => {
    const reply = await (await loaded()).complete({ ...greedy, topLogprobs: 3 });
    const lps = reply.logprobs ?? [];
    expect(lps.length).toBe(reply.usage.completionTokens);
    expect(lps.map((t) => t.token).join('')).toBe(reply.text);
    for (const t of lps) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top.length).toBe(3);
      const top = t.top.map((a) => a.logprob);
      expect([...top].sort((a, b) => b - a)).toEqual(top);
      expect(t.top[0]).toEqual({ token: t.token, logprob: t.logprob });
      expect(top.reduce((s, lp) => s + Math.exp(lp), 0)).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  test('a GBNF grammar constrains the reply', async () => {
    const reply = await (await loaded()).complete({
      messages: [{ role: 'user', content: 'Rate the answer.' }],
      temperature: 0,
      maxTokens: 20,
      constraint: { type: 'grammar', grammar: 'root ::= "Score: " [1-5]' },
    });
    expect(reply.text).toMatch(/^Score: [1-5]$/);
    expect(reply.finishReason).toBe('stop');
  });

  test('a JSON schema constrains the reply', async () => {
    const reply = await (await loaded()).complete({
      messages: [{ role: 'user', content: 'Rate the answer as JSON.' }],
      temperature: 0,
      maxTokens: 60,
      constraint: {
        type: 'json_schema',
        schema: { type: 'object', properties: { score: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['score'], additionalProperties: false },
      },
    });
    expect(reply.finishReason).toBe('stop');
    const parsed = JSON.parse(reply.text) as { score: number };
    expect(Object.keys(parsed)).toEqual(['score']);
    expect([1, 2, 3, 4, 5]).toContain(parsed.score);
  });

  test('a stop string ends the reply before it', async () => {
    const engine = await loaded();
    const free = await engine.complete({ ...greedy, topLogprobs: 0 });
    expect(free.logprobs?.length).toBe(12);
    expect(free.logprobs?.every((t) => t.top.length === 0 && t.logprob <= 0)).toBe(true);
    const tokens = (free.logprobs ?? []).map((t) => t.token);
    const stop = tokens.find((t, i) => i >= 2 && t.trim().length > 0 && !tokens.slice(0, i).join('').includes(t));
    expect(stop).toBeDefined();
    const stopped = await engine.complete({ ...greedy, stop: [stop!] });
    expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(stop!)));
    expect(stopped.finishReason).toBe('stop');
  });

  test('streaming gives the same text as one reply, delta by delta', async () => {
    const engine = await loaded();
    const whole = await engine.complete(greedy);
    const deltas: string[] = [];
    const streamed = await engine.complete(greedy, { onDelta: (d) => deltas.push(d) });
    expect(streamed.text).toBe(whole.text);
    expect(deltas.join('')).toBe(whole.text);
    expect(deltas.length).toBeGreaterThan(1);
    // the same prompt again: llama.cpp reuses all of it from the slot's KV cache but the last token (cache_prompt)
    expect(whole.usage.cachedPromptTokens).toBe(0);
    expect(streamed.usage).toEqual({ ...whole.usage, cachedPromptTokens: whole.usage.promptTokens - 1 });
    expect(streamed.finishReason).toBe('length');
  });

  test('a second prompt that shares a prefix evaluates only what follows it (KV reuse across requests)', async () => {
    const engine = await loaded();
    const shared = 'how can you write a good answer to the question, and what is the score of this answer? '.repeat(3);
    const ask = (tail: string) => engine.complete({ messages: [{ role: 'system', content: shared }, { role: 'user', content: tail }], temperature: 0, maxTokens: 1 });
    const first = await ask('the first one');
    const second = await ask('another, different item');
    expect(first.usage.cachedPromptTokens).toBe(0);
    // everything up to the user turn's text is reused; the new item's tokens are evaluated
    const evaluated = second.usage.promptTokens - (second.usage.cachedPromptTokens ?? 0);
    expect(second.usage.cachedPromptTokens).toBeGreaterThan(0.75 * first.usage.promptTokens);
    expect(evaluated).toBeGreaterThan(5);
    expect(evaluated).toBeLessThan(0.25 * second.usage.promptTokens);
  });

  test('abort and interrupt stop a long generation with the text so far', async () => {
    const engine = await loaded();
    const long = { ...greedy, maxTokens: 400 };
    const controller = new AbortController();
    const deltas: string[] = [];
    const aborted = await engine.complete(long, {
      signal: controller.signal,
      onDelta: (d) => {
        deltas.push(d);
        if (deltas.length === 3) controller.abort();
      },
    });
    expect(aborted.finishReason).toBe('abort');
    expect(aborted.text).toBe(deltas.join(''));
    expect(deltas.length).toBeLessThan(400);

    let count = 0;
    const interrupted = await engine.complete(long, {
      onDelta: () => {
        if (++count === 2) void engine.interrupt();
      },
    });
    expect(interrupted.finishReason).toBe('abort');
    expect(count).toBeLessThan(400);
    // The engine still works afterwards.
    expect((await engine.complete(greedy)).usage.completionTokens).toBe(12);
  });

  test('a corrupt or truncated GGUF gives GgufRejectedError with what to do', async () => {
    const good = new Uint8Array(await (await fetch(MODEL_URL)).arrayBuffer());
    const truncated = new File([good.slice(0, 100_000)], 'truncated.gguf');
    const junk = new File([new TextEncoder().encode('this is not a model '.repeat(50))], 'junk.gguf');
    for (const file of [truncated, junk]) {
      const engine = new WllamaEngine({ gpu: false });
      const err = await engine.load(file).then(() => null, (e: unknown) => e as Error);
      expect(err?.name).toBe('GgufRejectedError');
      expect(err?.message).toContain(`could not load "${file.name}"`);
      expect(err?.message).toContain('complete GGUF');
      await expect(engine.complete(greedy)).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
    }
  });

  test('a missing model URL gives GgufDownloadError', async () => {
    const engine = new WllamaEngine({ gpu: false });
    const err = await engine.load('/test/fixtures/no-such-model.gguf').then(() => null, (e: unknown) => e as Error);
    expect(err?.name).toBe('GgufDownloadError');
    expect(err?.message).toContain('/test/fixtures/no-such-model.gguf');
  });
});
