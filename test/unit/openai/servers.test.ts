/**
 * The endpoint engine against recorded exchanges of each real server (test/support/server-flavors.ts
 * cites the source of every shape), replayed by the test chat server on 127.0.0.1: detection,
 * verified capabilities, llama.cpp's loading 503, /props, Ollama's empty list, OpenAI's
 * max_completion_tokens — and a rating run against each that reaches that server's best mode.
 */
import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { OpenAiEndpoint, type EndpointSettings } from '../../../src/adapters/openai/client.ts';
import type { Rating } from '../../../src/core/records.ts';
import { newRun } from '../../../src/core/records.ts';
import { curateAbilities, curateStage } from '../../../src/core/stages/curate.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import { runStage } from '../../../src/core/stages/runner.ts';
import { CURATE_SAMPLING } from '../../../src/core/stages/stage.ts';
import { chatServerPerFile } from '../../support/chat-server-per-file.ts';
import { LLAMACPP_PROPS, type Flavor } from '../../support/server-flavors.ts';

const server = chatServerPerFile();

const fast = { retry: { maxRetries: 0 }, loadingPollMs: 20 };
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
const endpoint = (settings: Partial<EndpointSettings> = {}) => new OpenAiEndpoint({ baseUrl: server.url, verify: true, ...fast, ...settings });

describe('server detection and verified capabilities', () => {
  const cases: [Flavor, string, Record<string, unknown>][] = [
    ['llamacpp', 'qwen2.5-7b', { server: 'llamacpp', grammar: true, logprobs: true, maxTopLogprobs: 20, concurrency: 4, contextWindow: LLAMACPP_PROPS.n_ctx }],
    ['vllm', 'Qwen/Qwen2.5-7B-Instruct', { server: 'vllm', grammar: true, logprobs: true, maxTopLogprobs: 20, concurrency: 8, contextWindow: 32768 }],
    ['ollama', 'llama3.1:8b', { server: 'ollama', grammar: false, logprobs: false, maxTopLogprobs: 0, concurrency: 8, contextWindow: 4096 }],
    ['openai', 'gpt-4o-mini', { server: 'openai', grammar: false, logprobs: true, maxTopLogprobs: 20, concurrency: 8, contextWindow: 4096 }],
    ['generic', 'test-model', { server: 'generic', grammar: false, logprobs: true, maxTopLogprobs: 20, concurrency: 8 }],
  ];
  for (const [flavor, model, expected] of cases) {
    it(`detects ${flavor} and reports what it really does`, async () => {
      server.setMode({ flavor, models: [{ id: model }] });
      const llm = endpoint();
      await llm.load(model);
      expect(llm.facts?.detected).toBe(flavor);
      expect(await llm.capabilities()).toMatchObject(expected);
    });
  }

  it('says why a lever is off, in words a stage can show', async () => {
    server.setMode({ flavor: 'ollama', models: [{ id: 'llama3.1:8b' }] });
    const ollama = endpoint();
    await ollama.load('llama3.1:8b');
    expect((await ollama.capabilities()).limits).toEqual({
      grammar: "Ollama's OpenAI-compatible API takes no grammar",
      logprobs: 'the server returns no logprobs',
    });
  });

  it('a server that ignores the grammar is marked without it, even when the user says it is llama.cpp', async () => {
    server.setMode({ flavor: 'generic' });
    const llm = endpoint({ server: 'llamacpp' });
    await llm.load('test-model');
    const caps = await llm.capabilities();
    expect([caps.server, caps.grammar, caps.logprobs]).toEqual(['llamacpp', false, true]);
    expect(caps.limits?.grammar).toBe('the server ignored the grammar in a test request (it answered "You")');
    // the probe sent the grammar in llama.cpp's field, one token, at temperature 0
    expect(server.stats().chatRequests[0]?.body).toMatchObject({ grammar: 'root ::= [1-5]', max_tokens: 1, temperature: 0 });
  });
});

describe('llama.cpp server', () => {
  it('waits on /health while the model loads, saying so, then loads', async () => {
    server.setMode({ flavor: 'llamacpp', models: [{ id: 'qwen2.5-7b' }], loadingMs: 150 });
    const llm = endpoint();
    const progress: string[] = [];
    await llm.load('qwen2.5-7b', { onProgress: (p) => progress.push(p.text) });
    expect(progress[0]).toMatch(/^The server is still loading its model \(0 s so far\); waiting for \/health to say it is ready…$/);
    expect(progress.at(-1)).toBe(`${server.url} (llamacpp) serves qwen2.5-7b.`);
    const seen = server.stats().requests;
    const loading = seen.filter((r) => r.outcome === 'loading');
    expect(loading.length).toBeGreaterThan(1);
    expect(loading.every((r) => r.path === '/health' && r.status === 503)).toBe(true);
    // nothing but /health was asked before the server was ready
    const firstReady = seen.findIndex((r) => r.outcome !== 'loading');
    expect(seen[firstReady]?.path).toBe('/health');
    expect(seen[firstReady]?.status).toBe(200);
  });

  it('runs at most total_slots requests at once, in the context each slot has', async () => {
    server.setMode({ flavor: 'llamacpp', models: [{ id: 'qwen2.5-7b' }] });
    const llm = endpoint({ concurrency: 8, verify: false });
    await llm.load('qwen2.5-7b');
    server.setMode({ latencyMs: 100 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => llm.complete(ask(`n${i}`))));
    expect(server.stats().maxInFlight).toBe(LLAMACPP_PROPS.total_slots);
    expect((await llm.capabilities()).contextWindow).toBe(4096); // /props n_ctx, not meta.n_ctx_train 131072
    expect(await llm.inspect()).toMatchObject({ models: [{ id: 'qwen2.5-7b', contextWindow: 4096, ownedBy: 'llamacpp' }] });
  });

  it('streams logprobs and the final timings chunk', async () => {
    server.setMode({ flavor: 'llamacpp', models: [{ id: 'qwen2.5-7b' }], reply: () => 'Fine.\nScore: 4' });
    const llm = endpoint({ verify: false });
    await llm.load('qwen2.5-7b');
    const deltas: string[] = [];
    const reply = await llm.complete({ ...ask('rate'), topLogprobs: 20 }, { onDelta: (d) => deltas.push(d) });
    expect(deltas.join('')).toBe('Fine.\nScore: 4');
    expect(reply.logprobs?.at(-1)?.top.map((t) => t.token)).toEqual([' 4', ' 1', ' 2', ' 3', ' 5']);
  });
});

describe('the others', () => {
  it('Ollama with nothing pulled lists no models and says so', async () => {
    server.setMode({ flavor: 'ollama', models: [] });
    const llm = endpoint();
    expect(await llm.listModels()).toEqual([]);
    await expect(llm.load('llama3.1:8b')).rejects.toMatchObject({
      name: 'EndpointModelError',
      message: `${server.url} does not serve a model named "llama3.1:8b". It lists no models: check the server started with one.`,
    });
  });

  it('OpenAI: max_tokens is refused for a reasoning model; we send max_completion_tokens', async () => {
    server.setMode({ flavor: 'openai', models: [{ id: 'o3-mini' }] });
    // the recorded exchange: the old request shape gets a 400
    const raw = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'o3-mini', ...ask('x'), max_tokens: 5 }) });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('unsupported_parameter');
    const llm = endpoint({ verify: false });
    await llm.load('o3-mini');
    const reply = await llm.complete({ ...ask('hello'), maxTokens: 5 });
    expect(reply.text).toBe('You said: hello');
    expect(server.stats().chatRequests.at(-1)?.body).toMatchObject({ max_completion_tokens: 5 });
    expect(server.stats().chatRequests.at(-1)?.body).not.toHaveProperty('max_tokens');
  });

  it('vLLM: the grammar goes in structured_outputs, and a streamed finish with logprobs.content null is read', async () => {
    server.setMode({ flavor: 'vllm', models: [{ id: 'q' }] });
    const llm = endpoint({ verify: false });
    await llm.load('q');
    const reply = await llm.complete({ ...ask('rate'), maxTokens: 1, topLogprobs: 5, constraint: { type: 'grammar', grammar: 'root ::= [1-5]' } }, { onDelta: () => {} });
    expect(reply.text).toBe('4');
    expect(server.stats().chatRequests[0]?.body).toMatchObject({ structured_outputs: { grammar: 'root ::= [1-5]' } });
    expect(server.stats().chatRequests[0]?.body).not.toHaveProperty('grammar');
  });
});

describe('a rating run reaches each server\'s best mode', () => {
  const pairs = Array.from({ length: 6 }, (_, seq) => ({ seq, segmentId: `s${seq}`, instruction: `Question ${seq}?`, response: `Passage number ${seq}.` }));
  const runAgainst = async (flavor: Flavor, model: string) => {
    // an unconstrained model writes its reasoning and a score line; a constrained one obeys the grammar
    server.setMode({ flavor, models: [{ id: model }], reply: () => 'It answers the question.\nScore: 3' });
    const llm = endpoint();
    await llm.load(model);
    const caps = await llm.capabilities();
    const abilities = curateAbilities(caps);
    const stage = curateStage(DEFAULT_TEMPLATES['curate-reasoned']);
    const store = new MemoryProjectStore();
    const run = newRun('curate', stage.version, {}, 1);
    const config = { model: { engine: 'openai' as const, model }, sampling: CURATE_SAMPLING, round: 0, ...abilities };
    const out = await runStage(stage, pairs, { llm, store, run, config });
    const ratings = await store.page<Rating>(`ratings:${run.id}`, 0, 100);
    const sent = server.stats().chatRequests.at(-1)?.body as Record<string, unknown>;
    return { out, abilities, ratings, sent, caps };
  };

  it('llama.cpp: constrained by its grammar field, expected scores from logprobs', async () => {
    const { out, abilities, ratings, sent } = await runAgainst('llamacpp', 'qwen2.5-7b');
    expect(out.status).toBe('done');
    expect(abilities.constrained).toBe(true);
    expect(typeof sent.grammar).toBe('string');
    expect(ratings.map((r) => [r.parse, r.score])).toEqual(Array(6).fill(['parsed', 4]));
    expect(ratings.every((r) => typeof r.expectedScore === 'number')).toBe(true);
  });

  it('vLLM: constrained through structured_outputs, expected scores from logprobs', async () => {
    const { abilities, ratings, sent } = await runAgainst('vllm', 'Qwen/Qwen2.5-7B-Instruct');
    expect(abilities.constrained).toBe(true);
    expect(sent.structured_outputs).toMatchObject({ grammar: expect.stringContaining('Score: ') });
    expect(ratings.map((r) => r.score)).toEqual(Array(6).fill(4));
    expect(ratings.every((r) => typeof r.expectedScore === 'number')).toBe(true);
  });

  it('Ollama: unconstrained, no logprobs, the score read from the text', async () => {
    const { abilities, ratings, sent, caps } = await runAgainst('ollama', 'llama3.1:8b');
    expect(abilities).toEqual({ constrained: false, topLogprobs: 0 });
    expect(caps.limits?.grammar).toBe("Ollama's OpenAI-compatible API takes no grammar");
    expect([sent.grammar, sent.structured_outputs, sent.logprobs]).toEqual([undefined, undefined, undefined]);
    expect(ratings.map((r) => [r.parse, r.score, 'expectedScore' in r])).toEqual(Array(6).fill(['parsed', 3, false]));
  });

  it('OpenAI: unconstrained with logprobs, max_completion_tokens on every request', async () => {
    const { abilities, ratings, sent } = await runAgainst('openai', 'o4-mini');
    expect(abilities.constrained).toBe(false);
    expect(abilities.topLogprobs).toBeGreaterThan(0);
    expect(sent.max_completion_tokens).toBe(CURATE_SAMPLING.maxTokens);
    expect(ratings.map((r) => r.score)).toEqual(Array(6).fill(3));
    expect(ratings.every((r) => typeof r.expectedScore === 'number')).toBe(true);
  });
});
