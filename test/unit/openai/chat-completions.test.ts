import { describe, expect, it } from 'vitest';
import { chatCompletionsBody, readChunk, readCompletion, readModelList } from '../../../src/core/chat-completions.ts';
import { serverProfile } from '../../../src/core/endpoint-servers.ts';

const base = { model: 'm', stream: false, profile: serverProfile('generic'), streamUsage: true };
const messages = [{ role: 'user' as const, content: 'hi' }];

describe('chatCompletionsBody', () => {
  it('maps every request option to its OpenAI field', () => {
    expect(
      chatCompletionsBody(
        { messages, temperature: 0.7, topP: 0.9, maxTokens: 64, stop: ['\n\n'], seed: 42, topLogprobs: 5, constraint: { type: 'json_schema', schema: { type: 'object' } } },
        { ...base, stream: true },
      ),
    ).toEqual({
      model: 'm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 64,
      stop: ['\n\n'],
      seed: 42,
      logprobs: true,
      top_logprobs: 5,
      response_format: { type: 'json_schema', json_schema: { name: 'reply', strict: true, schema: { type: 'object' } } },
    });
  });
  it('leaves out what was not asked; topLogprobs 0 asks for the chosen token only', () => {
    expect(chatCompletionsBody({ messages, stop: [], topLogprobs: 0 }, base)).toEqual({ model: 'm', messages, stream: false, logprobs: true });
    expect(chatCompletionsBody({ messages }, { ...base, stream: true, streamUsage: false })).toEqual({ model: 'm', messages, stream: true });
  });
  it('sends a grammar in each server\'s own field, and refuses one where the server has none', () => {
    const grammar = 'root ::= "Score: " [1-5]';
    const request = { messages, constraint: { type: 'grammar' as const, grammar } };
    const body = (kind: Parameters<typeof serverProfile>[0]) => chatCompletionsBody(request, { ...base, profile: serverProfile(kind) });
    expect(body('llamacpp').grammar).toBe(grammar);
    expect(body('llamacpp').structured_outputs).toBeUndefined();
    expect(body('vllm').structured_outputs).toEqual({ grammar });
    expect(body('vllm').grammar).toBeUndefined();
    for (const kind of ['ollama', 'openai', 'generic'] as const) {
      expect(() => body(kind)).toThrow(expect.objectContaining({ name: 'UnsupportedRequestError' }));
    }
    // the message names the real way out (there is no "grammar field" setting)
    expect(() => body('generic')).toThrow(
      'This endpoint takes no grammar (the server type is unknown, so no grammar field is sent (pick the server type if you know it)). ' +
        'If the server is a llama.cpp server or vLLM, pick that server type in the engine panel and load the model again.',
    );
  });
  it('sends max_completion_tokens to OpenAI (its reasoning models refuse max_tokens) and a JSON schema top-level to llama.cpp', () => {
    const schema = { type: 'object' };
    const openai = chatCompletionsBody({ messages, maxTokens: 8 }, { ...base, profile: serverProfile('openai') });
    expect(openai).toEqual({ model: 'm', messages, stream: false, max_completion_tokens: 8 });
    const llamacpp = chatCompletionsBody({ messages, maxTokens: 8, constraint: { type: 'json_schema', schema } }, { ...base, profile: serverProfile('llamacpp') });
    expect(llamacpp).toEqual({ model: 'm', messages, stream: false, max_tokens: 8, json_schema: schema });
  });
});

describe('reading replies', () => {
  const lp = { content: [{ token: 'Score', logprob: -0.5, top_logprobs: [{ token: 'Score', logprob: -0.5 }, { token: 'S', logprob: -1.5 }] }] };
  it('reads a whole completion with logprobs and usage', () => {
    const r = readCompletion(
      { model: 'served', choices: [{ message: { content: 'Score: 4' }, finish_reason: 'length', logprobs: lp }], usage: { prompt_tokens: 9, completion_tokens: 3 } },
      'asked',
    );
    expect(r).toEqual({
      ok: true,
      value: {
        text: 'Score: 4',
        finishReason: 'length',
        usage: { promptTokens: 9, completionTokens: 3 },
        model: 'served',
        logprobs: [{ token: 'Score', logprob: -0.5, top: [{ token: 'Score', logprob: -0.5 }, { token: 'S', logprob: -1.5 }] }],
      },
    });
  });
  it('takes null content as empty text and a missing model as the one asked for', () => {
    const r = readCompletion({ choices: [{ message: { content: null }, finish_reason: 'stop' }] }, 'asked');
    expect(r).toEqual({ ok: true, value: { text: '', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 0 }, model: 'asked' } });
  });
  it('turns unreadable replies into malformed-reply issues', () => {
    const issue = (body: unknown) => {
      const r = readCompletion(body, 'm');
      return r.ok ? 'ok' : `${r.issue.code}: ${r.issue.message}`;
    };
    expect(issue('text')).toBe('malformed-reply: the reply is not a JSON object');
    expect(issue({ choices: [] })).toBe('malformed-reply: the reply has no choices');
    expect(issue({ choices: [{}] })).toBe('malformed-reply: the first choice has no message');
    expect(issue({ choices: [{ message: { content: 3 } }] })).toBe('malformed-reply: the message content is not text');
    expect(issue({ choices: [{ message: { content: 'x' }, logprobs: { content: [{ token: 'x' }] } }] })).toBe('malformed-reply: a logprobs entry lacks token or logprob');
    expect(issue({ choices: [{ message: { content: 'x' }, logprobs: { content: 'x' } }] })).toBe('malformed-reply: logprobs.content is not a list');
  });
  it('takes vLLM\'s logprobs.content null as "no logprobs", and its abort, error and repetition finishes as what they are', () => {
    const vllm = (finish: string) =>
      readCompletion({ model: 'q', choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, logprobs: { content: null }, finish_reason: finish, stop_reason: null }] }, 'q');
    expect(vllm('stop')).toEqual({ ok: true, value: { text: 'x', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 0 }, model: 'q' } });
    expect([vllm('abort'), vllm('error'), vllm('repetition'), vllm('length')].map((r) => (r.ok ? r.value.finishReason : r.issue.code))).toEqual([
      'abort',
      'error',
      'length',
      'length',
    ]);
    expect(readChunk({ choices: [{ index: 0, delta: {}, logprobs: { content: null }, finish_reason: 'abort' }] })).toEqual({ ok: true, value: { delta: '', finishReason: 'abort' } });
  });
  it('reads the cached prompt tokens where the server reports them', () => {
    const r = readCompletion({ choices: [{ message: { content: 'x' } }], usage: { prompt_tokens: 900, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 640 } } }, 'm');
    expect(r.ok && r.value.usage).toEqual({ promptTokens: 900, completionTokens: 1, cachedPromptTokens: 640 });
  });
  it('reads stream chunks: deltas, finish reason, the usage-only chunk, mid-stream errors', () => {
    expect(readChunk({ choices: [{ delta: { content: 'Sc' }, logprobs: lp, finish_reason: null }] })).toEqual({
      ok: true,
      value: { delta: 'Sc', logprobs: [{ token: 'Score', logprob: -0.5, top: [{ token: 'Score', logprob: -0.5 }, { token: 'S', logprob: -1.5 }] }] },
    });
    expect(readChunk({ model: 'x', choices: [{ delta: {}, finish_reason: 'stop' }] })).toEqual({ ok: true, value: { delta: '', finishReason: 'stop', model: 'x' } });
    expect(readChunk({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 5 } })).toEqual({ ok: true, value: { delta: '', usage: { promptTokens: 2, completionTokens: 5 } } });
    expect(readChunk({ error: { message: 'out of memory' } })).toEqual({
      ok: false,
      issue: { code: 'malformed-reply', message: 'the server reported an error mid-stream: out of memory' },
    });
  });
  it('reads model lists from vLLM, llama.cpp, Ollama and plain OpenAI', () => {
    expect(readModelList({ data: [{ id: 'a', max_model_len: 8192, owned_by: 'vllm' }, { id: 'b', meta: { n_ctx_train: 4096 } }, { id: 'c' }] })).toEqual({
      ok: true,
      value: [{ id: 'a', contextWindow: 8192, ownedBy: 'vllm' }, { id: 'b', contextWindow: 4096 }, { id: 'c' }],
    });
    // Ollama with nothing pulled: openai.go's nil slice marshals to null
    expect(readModelList({ object: 'list', data: null })).toEqual({ ok: true, value: [] });
    expect(readModelList({ models: [] })).toEqual({ ok: false, issue: { code: 'malformed-reply', message: 'the model list has no "data" array' } });
  });
});
