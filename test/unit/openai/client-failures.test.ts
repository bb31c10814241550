import { describe, expect, it } from 'vitest';
import { OpenAiEndpoint, type EndpointSettings } from '../../../src/adapters/openai/client.ts';
import { describeError } from '../../../src/core/errors.ts';
import { chatServerPerFile } from '../../support/chat-server-per-file.ts';
import { startChatServer } from '../../support/chat-server.ts';

const server = chatServerPerFile();

/** Short backoff so tests are quick; jitter pinned to its lowest value so delays are exact. */
const fast = { retry: { maxRetries: 3, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5000 } };

async function connect(settings: Partial<EndpointSettings> = {}): Promise<OpenAiEndpoint> {
  const llm = new OpenAiEndpoint({ baseUrl: server.url, ...fast, ...settings }, { random: () => 0 });
  await llm.load('test-model');
  server.resetStats();
  return llm;
}
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });
const chats = () => server.stats().chatRequests;
const waitFor = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

describe('retries', () => {
  it('retries 500s and succeeds, with doubling backoff between attempts', async () => {
    server.setMode({ failures: [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }] });
    const llm = await connect();
    expect((await llm.complete(ask('x'))).text).toBe('You said: x');
    const r = chats();
    expect(r.map((q) => q.status)).toEqual([500, 503, 200]);
    // backoff with jitter 0: 10 ms, then 20 ms — measured between the server's answer and the next arrival
    expect(r[1]!.arrivedAt - r[0]!.answeredAt!).toBeGreaterThanOrEqual(10);
    expect(r[2]!.arrivedAt - r[1]!.answeredAt!).toBeGreaterThanOrEqual(20);
  });

  it('gives up after maxRetries with a status error that says what to do', async () => {
    server.setMode({ always: { kind: 'status', status: 502 } });
    const llm = await connect({ retry: { ...fast.retry, maxRetries: 2 } });
    await expect(llm.complete(ask('x'))).rejects.toMatchObject({
      name: 'EndpointStatusError',
      status: 502,
      attempts: 3,
      message: `${server.url}/chat/completions answered HTTP 502 after 3 attempts: Failing on purpose with 502.. The server failed: look at its log, then resume the run.`,
    });
    expect(chats()).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    server.setMode({ failures: [{ kind: 'status', status: 400 }] });
    const llm = await connect();
    await expect(llm.complete(ask('x'))).rejects.toMatchObject({ name: 'EndpointStatusError', status: 400, attempts: 1 });
    expect(chats()).toHaveLength(1);
  });

  it('honours Retry-After in seconds: the retry arrives at least that long after the 429', async () => {
    server.setMode({ failures: [{ kind: 'status', status: 429, retryAfter: '1' }] });
    const llm = await connect();
    expect((await llm.complete(ask('x'))).text).toBe('You said: x');
    const [first, second] = chats();
    expect([first!.status, first!.retryAfter, second!.status]).toEqual([429, '1', 200]);
    expect(second!.arrivedAt - first!.answeredAt!).toBeGreaterThanOrEqual(1000);
  });

  it('honours Retry-After as an HTTP date: the retry arrives no earlier than that date', async () => {
    server.setMode({ failures: [{ kind: 'status', status: 429, retryAfterDateMs: 1500 }] });
    const llm = await connect();
    expect((await llm.complete(ask('x'))).text).toBe('You said: x');
    const [first, second] = chats();
    const date = Date.parse(first!.retryAfter!);
    expect(first!.retryAfter).toMatch(/GMT$/);
    expect(second!.arrivedAt).toBeGreaterThanOrEqual(date);
  });

  it('gives up at once when Retry-After asks for longer than the policy allows', async () => {
    server.setMode({ failures: [{ kind: 'status', status: 429, retryAfter: '3600' }] });
    const llm = await connect();
    await expect(llm.complete(ask('x'))).rejects.toMatchObject({ name: 'EndpointStatusError', status: 429, attempts: 1, retryAfterMs: 3_600_000 });
    expect(chats()).toHaveLength(1);
  });

  it('retries a dropped connection, then says the server could not be reached', async () => {
    server.setMode({ failures: [{ kind: 'drop' }] });
    const llm = await connect();
    expect((await llm.complete(ask('x'))).text).toBe('You said: x');
    expect(chats().map((r) => r.outcome)).toEqual(['drop', 'ok']);

    server.resetStats();
    server.setMode({ always: { kind: 'drop' } });
    const err = await llm.complete(ask('x')).catch((e: unknown) => e);
    expect(chats()).toHaveLength(4);
    expect(err).toMatchObject({ name: 'EndpointUnreachableError', attempts: 4 });
    expect((err as Error).message).toMatch(
      new RegExp(`^Could not get a reply from ${server.url}/chat/completions after 4 attempts \\(fetch failed: .+\\)\\. Check that the server is running`),
    );
  });

  it('retries a connection cut mid-reply, in whole and streamed replies', async () => {
    server.setMode({ failures: [{ kind: 'cut' }] });
    const llm = await connect();
    expect((await llm.complete(ask('whole'))).text).toBe('You said: whole');
    // In a stream the cut comes after the role chunk, before any text was shown: safe to retry.
    server.setMode({ failures: [{ kind: 'cut', after: 1 }], reply: () => 'one' });
    const deltas: string[] = [];
    expect((await llm.complete(ask('s'), { onDelta: (d) => deltas.push(d) })).text).toBe('one');
    expect(deltas).toEqual(['one']);
    expect(chats().map((r) => r.outcome)).toEqual(['cut', 'ok', 'cut', 'ok']);
  });

  it('does not retry a stream cut after text was shown: that would repeat it', async () => {
    server.setMode({ failures: [{ kind: 'cut', after: 3 }], reply: () => 'a b c d e f' });
    const llm = await connect();
    const deltas: string[] = [];
    await expect(llm.complete(ask('s'), { onDelta: (d) => deltas.push(d) })).rejects.toMatchObject({ name: 'EndpointUnreachableError', attempts: 1 });
    expect(deltas).toEqual(['a', ' b']);
    expect(chats()).toHaveLength(1);
  });

  it('says the server is unreachable when nothing listens', async () => {
    const gone = await startChatServer();
    const url = gone.url;
    await gone.close();
    const llm = new OpenAiEndpoint({ baseUrl: url, retry: { ...fast.retry, maxRetries: 1 } }, { random: () => 0 });
    await expect(llm.load('test-model')).rejects.toMatchObject({
      name: 'EndpointUnreachableError',
      attempts: 2,
      message: `Could not get a reply from ${url}/models after 2 attempts (fetch failed: ECONNREFUSED). Check that the server is running, that the base URL (including /v1) is right, and that this machine can reach it.`,
    });
  });
});

describe('timeouts and malformed replies', () => {
  it('times out a slow reply, retries, and names the timeout when all attempts are slow', async () => {
    server.setMode({ failures: [{ kind: 'slow', delayMs: 3000 }] });
    const llm = await connect({ timeoutMs: 400 });
    expect((await llm.complete(ask('x'))).text).toBe('You said: x');
    expect(chats().map((r) => r.outcome)).toEqual(['slow', 'ok']);

    server.resetStats();
    server.setMode({ failures: [{ kind: 'slow', delayMs: 3000 }, { kind: 'slow', delayMs: 3000 }] });
    const patient = await connect({ timeoutMs: 400, retry: { ...fast.retry, maxRetries: 1 } });
    await expect(patient.complete(ask('x'))).rejects.toMatchObject({
      name: 'EndpointTimeoutError',
      attempts: 2,
      message: `${server.url}/chat/completions sent nothing for 0.4 s after 2 attempts. Raise the per-request timeout, lower the concurrency, or check whether the server is overloaded.`,
    });
    await waitFor(() => server.stats().inFlight === 0);
    expect(chats().map((r) => r.outcome)).toEqual(['slow', 'slow']);
  });

  it('the timeout is idle time: a slow but steady stream finishes', async () => {
    // 12 tokens 60 ms apart: 660 ms in all, well past the 400 ms timeout, but never idle that long
    server.setMode({ reply: () => 'a b c d e f g h i j k l', tokenDelayMs: 60 });
    const llm = await connect({ timeoutMs: 400 });
    expect((await llm.complete(ask('x'), { onDelta: () => {} })).text).toBe('a b c d e f g h i j k l');
    expect(chats()).toHaveLength(1);
  });

  it('names truncated JSON clearly and does not retry it', async () => {
    server.setMode({ failures: [{ kind: 'truncated' }] });
    const llm = await connect();
    const err = await llm.complete(ask('x')).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'EndpointReplyError' });
    expect((err as Error).message).toMatch(
      new RegExp(`^${server.url}/chat/completions sent a reply that is not a valid OpenAI-compatible answer \\(the reply is cut off or not JSON: ".+"\\)\\. Check that the base URL`),
    );
    expect(chats()).toHaveLength(1);
  });

  it('names a truncated stream clearly', async () => {
    server.setMode({ failures: [{ kind: 'truncated' }], reply: () => 'a b c d' });
    const llm = await connect();
    const deltas: string[] = [];
    const err = await llm.complete(ask('x'), { onDelta: (d) => deltas.push(d) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'EndpointReplyError' });
    expect((err as Error).message).toContain('(a streamed chunk is cut off or not JSON: "');
    expect(deltas).toEqual(['a', ' b']);
  });

  it('names a wrong base URL (HTML or 404 instead of the API)', async () => {
    const llm = new OpenAiEndpoint({ baseUrl: server.origin, ...fast });
    await expect(llm.load('test-model')).rejects.toMatchObject({
      name: 'EndpointStatusError',
      status: 404,
      message: `${server.origin}/models answered HTTP 404: No route for GET /models. Check the base URL (it usually ends in /v1) and the model name.`,
    });
  });
});

describe('stopping', () => {
  it('aborts a request in flight via its signal; the server sees the connection close', async () => {
    const llm = await connect();
    server.setMode({ latencyMs: 5000 });
    const ctl = new AbortController();
    const pending = llm.complete(ask('x'), { signal: ctl.signal });
    await waitFor(() => chats().length === 1);
    ctl.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await waitFor(() => chats()[0]!.outcome === 'closed-by-client');
    expect(chats()).toHaveLength(1);
  });

  it('aborts during a Retry-After wait without sending the retry', async () => {
    server.setMode({ failures: [{ kind: 'status', status: 429, retryAfter: '3' }] });
    const llm = await connect();
    const ctl = new AbortController();
    const pending = llm.complete(ask('x'), { signal: ctl.signal });
    await waitFor(() => chats()[0]?.status === 429);
    ctl.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(chats()).toHaveLength(1);
  });

  it('interrupt() ends streams in flight with the text so far and drops queued requests', async () => {
    server.setMode({ reply: () => 'a b c d e f g h i j', tokenDelayMs: 100 });
    const llm = await connect({ concurrency: 1 });
    const deltas: string[] = [];
    const streaming = llm.complete(ask('x'), { onDelta: (d) => deltas.push(d) });
    const queued = llm.complete(ask('y'));
    await waitFor(() => deltas.length >= 2);
    await llm.interrupt();
    const reply = await streaming;
    expect(reply.finishReason).toBe('abort');
    expect(reply.text).toBe(deltas.join(''));
    expect(reply.text.startsWith('a b')).toBe(true);
    expect(await queued).toEqual({ text: '', finishReason: 'abort', usage: { promptTokens: 0, completionTokens: 0 }, model: 'test-model' });
    expect(chats()).toHaveLength(1);
  });
});

describe('the API key', () => {
  const key = 'sk-secret-DO-NOT-LEAK-42';

  it('is refused with a message about the key, not retried', async () => {
    server.setMode({ apiKey: 'the-right-key' });
    const llm = new OpenAiEndpoint({ baseUrl: server.url, apiKey: key, ...fast });
    await expect(llm.load('test-model')).rejects.toMatchObject({
      name: 'EndpointAuthError',
      status: 401,
      message: `${server.url}/models refused the request (HTTP 401). Check the API key in the engine settings.`,
    });
    // the /health probe (refused too, so "not a loading llama.cpp server"), then the model list, once
    expect(server.stats().requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/health 401', '/v1/models 401']);
  });

  it('never appears in any error, even when the server echoes it or the URL carries credentials', async () => {
    const errors: unknown[] = [];
    const catchIt = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));
    const llm = await connect({ apiKey: key, retry: { ...fast.retry, maxRetries: 0 }, timeoutMs: 400 });
    for (const failure of [
      { kind: 'status', status: 400, echoAuthorization: true },
      { kind: 'status', status: 500, echoAuthorization: true },
      { kind: 'truncated' },
      { kind: 'drop' },
      { kind: 'slow', delayMs: 3000 },
    ] as const) {
      server.setMode({ failures: [failure] });
      await catchIt(llm.complete(ask('x')));
    }
    for (const baseUrl of [server.url.replace('http://', `http://user:${key}@`), `${server.url}?key=${key}`]) {
      try {
        new OpenAiEndpoint({ baseUrl, apiKey: key });
      } catch (e) {
        errors.push(e);
      }
    }
    server.setMode({ apiKey: 'other' });
    await catchIt(new OpenAiEndpoint({ baseUrl: server.url, apiKey: key, ...fast }).load('test-model'));
    expect(errors.map((e) => describeError(e).name)).toEqual([
      'EndpointStatusError',
      'EndpointStatusError',
      'EndpointReplyError',
      'EndpointUnreachableError',
      'EndpointTimeoutError',
      'EndpointUrlError',
      'EndpointUrlError',
      'EndpointAuthError',
    ]);
    expect((errors[0] as Error).message).toContain('(you sent authorization Bearer ***)');
    expect((errors[5] as Error).message).toBe(
      'The endpoint URL "http://127.0.0.1:' + new URL(server.url).port + '/v1" carries a user name, password or ?query. ' +
        'Enter the base URL alone (e.g. http://127.0.0.1:8080/v1) and put the key in the API key field.',
    );
    for (const e of errors) {
      const all = `${(e as Error).message} ${(e as Error).stack} ${JSON.stringify(e)} ${String((e as Error).cause)}`;
      expect(all).not.toContain(key);
    }
  });
});
