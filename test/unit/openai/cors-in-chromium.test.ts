/**
 * The endpoint engine inside real Chromium, against the real chat server on another origin:
 * the browser's CORS refusal must come out as EndpointCorsError naming the headers to send,
 * an unreachable server as EndpointUnreachableError, and with CORS allowed, streaming must work
 * through the browser's fetch. The page is served by Vite (TypeScript as is), once plain and
 * once cross-origin isolated like the app (COOP/COEP), where the browser hides which it was.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { resolve } from 'node:path';
import { assertChromium, chromiumArgs, chromiumPath } from '../../support/chromium.ts';
import { defaultMode, startChatServer, type ChatServer } from '../../support/chat-server.ts';

const root = resolve(import.meta.dirname, '../../..');
let vite: ViteDevServer;
let browser: Browser;
let server: ChatServer;
let pageOrigin: string;

beforeAll(async () => {
  assertChromium();
  server = await startChatServer();
  vite = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 5310, strictPort: false },
    plugins: [
      {
        name: 'cors-test-page',
        configureServer(s) {
          s.middlewares.use('/cors-page', (req, res) => {
            const headers: Record<string, string> = { 'content-type': 'text/html' };
            const coep = /coep=([a-z-]+)/.exec(req.url ?? '')?.[1];
            if (coep) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': coep });
            res.writeHead(200, headers).end('<!doctype html><title>cors test</title>');
          });
        },
      },
    ],
  });
  await vite.listen();
  pageOrigin = new URL(vite.resolvedUrls!.local[0]!).origin;
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await server?.close();
});
beforeEach(() => {
  server.setMode(defaultMode());
  server.resetStats();
});

/** Runs in the page: loads the engine, completes one streamed request, reports data or the error. */
const inPage = `async ({ baseUrl, apiKey }) => {
  const { OpenAiEndpoint } = await import('/src/adapters/openai/client.ts');
  const llm = new OpenAiEndpoint({ baseUrl, apiKey, retry: { maxRetries: 0 } });
  const deltas = [];
  try {
    await llm.load('test-model');
    const reply = await llm.complete({ messages: [{ role: 'user', content: 'from the browser' }] }, { onDelta: (d) => deltas.push(d) });
    return { ok: true, text: reply.text, deltas, isolated: crossOriginIsolated };
  } catch (e) {
    return { ok: false, name: e.name, message: e.message, isolated: crossOriginIsolated };
  }
}`;

/** `coep`: serve the page cross-origin isolated with this Cross-Origin-Embedder-Policy. */
async function runInPage(coep: 'require-corp' | 'credentialless' | undefined, baseUrl: string, apiKey?: string): Promise<Record<string, unknown>> {
  const page: Page = await browser.newPage();
  try {
    await page.goto(`${pageOrigin}/cors-page${coep ? `?coep=${coep}` : ''}`);
    return await page.evaluate(`(${inPage})(${JSON.stringify({ baseUrl, apiKey })})`);
  } finally {
    await page.close();
  }
}

const corsMessage = (origin: string, endpoint: string) =>
  `The server at ${endpoint} answered, but the browser blocked the reply because the server does not allow requests from this page (${origin}). ` +
  `The server must send "Access-Control-Allow-Origin: ${origin}" (or "*") and "Access-Control-Allow-Headers: authorization, content-type", ` +
  'and answer OPTIONS preflight requests with them (and "Access-Control-Expose-Headers: Retry-After" so its rate-limit waits can be read). ' +
  `vLLM: --allowed-origins '["${origin}"]'; llama.cpp server: --cors-origins ${origin}; Ollama: OLLAMA_ORIGINS=${origin} in the server's environment; ` +
  'or put a proxy that adds them in front.';

describe('the endpoint engine in Chromium', () => {
  it('streams a reply when the server allows the page origin', async () => {
    server.setMode({ apiKey: 'k1' });
    expect(await runInPage(undefined, server.url, 'k1')).toEqual({
      ok: true,
      text: 'You said: from the browser',
      deltas: ['You', ' said:', ' from', ' the', ' browser'],
      isolated: false,
    });
    // /health first (a loading llama.cpp server is waited for), then the models, then the routes that tell the server type apart.
    expect(server.stats().requests.map((r) => `${r.method} ${r.path} ${r.status}`).sort()).toEqual(
      [
        'OPTIONS /health 204',
        'GET /health 404',
        'OPTIONS /v1/models 204',
        'GET /v1/models 200',
        'OPTIONS /props 204',
        'GET /props 404',
        'OPTIONS /version 204',
        'GET /version 404',
        'OPTIONS /api/version 204',
        'GET /api/version 404',
        'OPTIONS /v1/chat/completions 204',
        'POST /v1/chat/completions 200',
      ].sort(),
    );
  });

  it('names a CORS refusal and the headers the server must send', async () => {
    server.setMode({ cors: false });
    expect(await runInPage(undefined, server.url)).toEqual({ ok: false, name: 'EndpointCorsError', message: corsMessage(pageOrigin, `${server.url}/models`), isolated: false });
    // the blocked /health probe (counted as "no such route"), the blocked request, then the no-cors probe that showed the server is up
    expect(server.stats().requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health', 'GET /v1/models', 'GET /v1/models']);
  });

  it('names a CORS refusal of the preflight an API key causes', async () => {
    server.setMode({ cors: false, apiKey: 'k1' });
    const r = await runInPage(undefined, server.url, 'k1');
    expect([r.name, r.message]).toEqual(['EndpointCorsError', corsMessage(pageOrigin, `${server.url}/models`)]);
    expect(server.stats().requests.map((q) => `${q.method} ${q.path}`)).toEqual(['OPTIONS /health', 'OPTIONS /v1/models', 'GET /v1/models']);
  });

  it('says unreachable, not CORS, when nothing listens', async () => {
    const gone = await startChatServer();
    await gone.close();
    const r = await runInPage(undefined, gone.url);
    expect(r.name).toBe('EndpointUnreachableError');
    expect(r.message).toBe(
      `Could not get a reply from ${gone.url}/models (Failed to fetch). Check that the server is running, that the base URL (including /v1) is right, and that this machine can reach it.`,
    );
  });

  it('in a page isolated with COEP require-corp, which blocks the probe, names both causes and the CORS headers', async () => {
    server.setMode({ cors: false });
    const r = await runInPage('require-corp', server.url);
    expect([r.name, r.isolated]).toEqual(['EndpointUnreachableError', true]);
    expect(r.message).toContain(`(Failed to fetch; if the server is running, it may not allow this page's origin. The server must send "Access-Control-Allow-Origin: ${pageOrigin}" (or "*")`);
    expect(server.stats().requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /health', 'GET /v1/models', 'GET /v1/models']);
  });

  it('in a page isolated with COEP credentialless the probe works: a clear CORS error', async () => {
    server.setMode({ cors: false });
    const r = await runInPage('credentialless', server.url);
    expect([r.name, r.message, r.isolated]).toEqual(['EndpointCorsError', corsMessage(pageOrigin, `${server.url}/models`), true]);
  });

  it('reads Retry-After only when the server lists it in Access-Control-Expose-Headers', async () => {
    // What the retry waits for, seen by the server: the gap between the 429 and the retry's arrival.
    const gapAfter429 = async (exposeRetryAfter: boolean): Promise<number> => {
      server.setMode({ ...defaultMode(), exposeRetryAfter, failures: [{ kind: 'status', status: 429, retryAfter: '2' }] });
      server.resetStats();
      const page: Page = await browser.newPage();
      try {
        await page.goto(`${pageOrigin}/cors-page`);
        const text = await page.evaluate(`(async (baseUrl) => {
          const { OpenAiEndpoint } = await import('/src/adapters/openai/client.ts');
          const llm = new OpenAiEndpoint({ baseUrl, retry: { maxRetries: 1, baseDelayMs: 50, maxDelayMs: 100 } });
          await llm.load('test-model');
          return (await llm.complete({ messages: [{ role: 'user', content: 'later' }] })).text;
        })(${JSON.stringify(server.url)})`);
        expect(text).toBe('You said: later');
      } finally {
        await page.close();
      }
      const [refused, retried] = server.stats().chatRequests.filter((r) => r.method === 'POST');
      expect([refused?.status, retried?.status]).toEqual([429, 200]);
      return (retried?.arrivedAt ?? 0) - (refused?.answeredAt ?? 0);
    };
    expect(await gapAfter429(true)).toBeGreaterThanOrEqual(2000);
    // hidden from the page: the client falls back to its own back-off (≤ 100 ms here)
    expect(await gapAfter429(false)).toBeLessThan(1000);
  });
});
