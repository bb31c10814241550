import { describe, expect, it } from 'vitest';
import { describeLevers } from '../../../src/core/engines/levers.ts';
import { detectServer, isLoadingReply, readFinishReason, readProps, serverProfile } from '../../../src/core/endpoint-servers.ts';
import { LLAMACPP_LOADING, flavorRoute } from '../../support/server-flavors.ts';

const none = { ownedBy: [], baseUrl: 'http://gpu:8000/v1' };

describe('detectServer', () => {
  it('tells the servers apart by what only they answer', () => {
    expect(detectServer({ ...none, props: flavorRoute('llamacpp', '/props')?.body })).toBe('llamacpp');
    expect(detectServer({ ...none, ownedBy: ['llamacpp'] })).toBe('llamacpp');
    expect(detectServer({ ...none, version: flavorRoute('vllm', '/version')?.body })).toBe('vllm');
    expect(detectServer({ ...none, ownedBy: ['vllm'] })).toBe('vllm');
    expect(detectServer({ ...none, ollamaVersion: flavorRoute('ollama', '/api/version')?.body })).toBe('ollama');
    expect(detectServer({ ownedBy: ['system'], baseUrl: 'https://proxy.example/v1' })).toBe('openai');
    expect(detectServer({ ownedBy: [], baseUrl: 'https://api.openai.com/v1' })).toBe('openai');
    expect(detectServer(none)).toBe('generic');
    // a JSON 404 body or an HTML page on /version is not a version
    expect(detectServer({ ...none, version: { detail: 'Not Found' }, props: '<html>' })).toBe('generic');
  });
});

describe('llama.cpp answers', () => {
  it('/props gives the per-slot context and the slots; older builds put n_ctx at the top', () => {
    expect(readProps(flavorRoute('llamacpp', '/props')?.body)).toEqual({ contextWindow: 4096, slots: 4 });
    expect(readProps({ n_ctx: 2048, total_slots: 1 })).toEqual({ contextWindow: 2048, slots: 1 });
    expect(readProps({ total_slots: 0, default_generation_settings: { n_ctx: 0 } })).toEqual({});
    expect(readProps(null)).toEqual({});
  });
  it('the 503 "Loading model" body is recognised, other 503s are not', () => {
    expect(isLoadingReply(LLAMACPP_LOADING.status, LLAMACPP_LOADING.body)).toBe(true);
    expect(isLoadingReply(503, { error: { message: 'Service overloaded' } })).toBe(false);
    expect(isLoadingReply(200, LLAMACPP_LOADING.body)).toBe(false);
  });
});

describe('finish reasons and profiles', () => {
  it('maps every finish reason servers send', () => {
    expect(['stop', 'length', 'repetition', 'abort', 'error', 'content_filter', 'tool_calls', null, undefined].map(readFinishReason)).toEqual([
      'stop', 'length', 'length', 'abort', 'error', 'error', 'stop', 'stop', 'stop',
    ]);
  });
  it('each server reports its true top-logprobs maximum', () => {
    expect((['llamacpp', 'vllm', 'ollama', 'openai', 'generic'] as const).map((k) => serverProfile(k).maxTopLogprobs)).toEqual([20, 20, 0, 20, 20]);
  });
});

describe('describeLevers', () => {
  const caps = { logprobs: true, maxTopLogprobs: 20, grammar: true, jsonSchema: true, seed: true, concurrency: 4, contextWindow: 4096, server: 'llamacpp' };
  it('says what rating gets, and why a lever is off', () => {
    expect(describeLevers(caps)).toBe('llama.cpp server · ratings constrained to a score line · expected scores from 20 alternatives · 4 at once · 4,096-token context');
    expect(describeLevers({ ...caps, server: 'ollama', grammar: false, logprobs: false, maxTopLogprobs: 0, concurrency: 8, limits: { grammar: 'no grammar field', logprobs: 'no logprobs field' } })).toBe(
      'Ollama · ratings not constrained (no grammar field): the score is read from the text · no expected scores (no logprobs field) · 8 at once · 4,096-token context',
    );
  });
});
