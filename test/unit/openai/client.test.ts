import { describe, expect, it } from 'vitest';
import { OpenAiEndpoint, type EndpointSettings } from '../../../src/adapters/openai/client.ts';
import { chatServerPerFile } from '../../support/chat-server-per-file.ts';

const server = chatServerPerFile();

async function connect(settings: Partial<EndpointSettings> = {}): Promise<OpenAiEndpoint> {
  const llm = new OpenAiEndpoint({ baseUrl: server.url, ...settings });
  await llm.load('test-model');
  return llm;
}
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('OpenAiEndpoint against a real server', () => {
  it('lists models, loads one and reports its context window and capabilities', async () => {
    server.setMode({ models: [{ id: 'a', max_model_len: 8192 }, { id: 'test-model' }] });
    const llm = new OpenAiEndpoint({ baseUrl: `${server.url}/`, concurrency: 3, server: 'llamacpp' });
    expect(await llm.listModels()).toEqual([
      { id: 'a', contextWindow: 8192, ownedBy: 'chat-server' },
      { id: 'test-model', ownedBy: 'chat-server' },
    ]);
    const progress: string[] = [];
    await llm.load('a', { onProgress: (p) => progress.push(`${p.fraction} ${p.text}`) });
    expect(progress).toEqual([`0 Asking ${server.url} for its models…`, `1 ${server.url} (llamacpp) serves a.`]);
    expect(await llm.capabilities()).toEqual({
      logprobs: true,
      maxTopLogprobs: 20,
      grammar: true,
      jsonSchema: true,
      seed: true,
      concurrency: 3,
      contextWindow: 8192,
      server: 'llamacpp',
    });
    expect(llm.facts?.detected).toBe('generic');
    expect(llm.model).toBe('a');
    await llm.unload();
    expect(llm.model).toBeUndefined();
    await expect(llm.complete(ask('x'))).rejects.toMatchObject({ name: 'EndpointNotLoadedError' });
  });

  it('says which models exist when the one asked for is not served', async () => {
    const llm = new OpenAiEndpoint({ baseUrl: server.url });
    await expect(llm.load('llama-9000')).rejects.toMatchObject({
      name: 'EndpointModelError',
      message: `${server.url} does not serve a model named "llama-9000". It serves: test-model. Pick one of those.`,
    });
  });

  it('completes a request and sends every option in OpenAI shape', async () => {
    const llm = await connect();
    const reply = await llm.complete({ ...ask('hello there'), temperature: 0.7, topP: 0.9, maxTokens: 50, seed: 7, stop: ['zzz'] });
    expect(reply).toEqual({ text: 'You said: hello there', finishReason: 'stop', usage: { promptTokens: 2, completionTokens: 4 }, model: 'test-model' });
    const sent = server.stats().chatRequests[0]!.body;
    expect(sent).toEqual({ model: 'test-model', messages: ask('hello there').messages, stream: false, temperature: 0.7, top_p: 0.9, max_tokens: 50, seed: 7, stop: ['zzz'] });
  });

  it('reports a length finish and maps logprobs with alternatives', async () => {
    server.setMode({ reply: () => 'Reasoning here. Score: 4' });
    const llm = await connect();
    const reply = await llm.complete({ ...ask('rate'), maxTokens: 4, topLogprobs: 3 });
    expect(reply.text).toBe('Reasoning here. Score: 4');
    expect(reply.finishReason).toBe('stop');
    expect(reply.logprobs?.[3]).toEqual({
      token: ' 4',
      logprob: -0.5,
      top: [{ token: ' 4', logprob: -0.5 }, { token: ' 1', logprob: -1.5 }, { token: ' 2', logprob: -2.5 }],
    });
    const cut = await llm.complete({ ...ask('rate'), maxTokens: 2, topLogprobs: 0 });
    expect(cut).toEqual({
      text: 'Reasoning here.',
      finishReason: 'length',
      usage: { promptTokens: 1, completionTokens: 2 },
      model: 'test-model',
      logprobs: [
        { token: 'Reasoning', logprob: -0.125, top: [] },
        { token: ' here.', logprob: -0.25, top: [] },
      ],
    });
  });

  it('streams deltas whose concatenation is the reply, even when every event arrives in 3-byte pieces', async () => {
    server.setMode({ reply: () => 'Une baleine à bosse 🐋 chante. Score: 5', splitWrites: true });
    const llm = await connect();
    const deltas: string[] = [];
    const reply = await llm.complete({ ...ask('sing'), topLogprobs: 2 }, { onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(['Une', ' baleine', ' à', ' bosse', ' 🐋', ' chante.', ' Score:', ' 5']);
    expect(reply.text).toBe('Une baleine à bosse 🐋 chante. Score: 5');
    expect(reply.finishReason).toBe('stop');
    expect(reply.usage).toEqual({ promptTokens: 1, completionTokens: 8 });
    expect(reply.logprobs?.map((t) => t.token)).toEqual(deltas);
    expect(reply.logprobs?.[7]?.top).toEqual([{ token: ' 5', logprob: -0.375 }, { token: ' 1', logprob: -1.375 }]);
    expect(server.stats().chatRequests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, logprobs: true, top_logprobs: 2 });
  });

  it('counts streamed tokens itself when the server sends no usage', async () => {
    const llm = await connect({ streamUsage: false });
    const reply = await llm.complete(ask('a b c'), { onDelta: () => {} });
    expect(reply).toEqual({ text: 'You said: a b c', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 5 }, model: 'test-model' });
  });

  it('sends a JSON schema as response_format and a grammar as the llama.cpp grammar field', async () => {
    const llm = await connect({ server: 'llamacpp' });
    const schema = { type: 'object', properties: { score: { type: 'integer' } } };
    await llm.complete({ ...ask('x'), constraint: { type: 'json_schema', schema } });
    await llm.complete({ ...ask('y'), constraint: { type: 'grammar', grammar: 'root ::= [1-5]' } });
    const [a, b] = server.stats().chatRequests.map((r) => r.body as Record<string, unknown>);
    expect(a!.json_schema).toEqual(schema);
    expect(b!.grammar).toBe('root ::= [1-5]');
    const plain = await connect();
    await expect(plain.complete({ ...ask('z'), constraint: { type: 'grammar', grammar: 'root ::= "a"' } })).rejects.toMatchObject({ name: 'UnsupportedRequestError' });
    expect(server.stats().chatRequests).toHaveLength(2);
  });

  it('keeps at most `concurrency` requests in flight at the server', async () => {
    const llm = await connect({ concurrency: 4 });
    server.setMode({ latencyMs: 300 });
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => llm.complete(ask(`n${i}`))));
    expect(replies.map((r) => r.text)).toEqual(Array.from({ length: 12 }, (_, i) => `You said: n${i}`));
    expect(server.stats().maxInFlight).toBe(4);
    expect(server.stats().chatRequests).toHaveLength(12);
  });

  it('sends the API key as a Bearer header', async () => {
    server.setMode({ apiKey: 'sk-local-123' });
    const llm = await connect({ apiKey: 'sk-local-123' });
    expect((await llm.complete(ask('k'))).text).toBe('You said: k');
    // /health, /v1/models, the three type probes and the chat request: all carry the key
    expect(server.stats().requests.map((r) => r.authorization)).toEqual(Array(6).fill('Bearer sk-local-123'));
  });
});
