/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 (random port) for tests, e2e runs and
 * benches: `GET /v1/models`, `POST /v1/chat/completions` (whole JSON or server-sent events),
 * deterministic replies, and failures on demand — 429 with Retry-After, 5xx, replies slower than
 * the client's timeout, truncated JSON, dropped connections, fixed latency, missing CORS headers.
 * It records every request (arrival and answer times, headers, body) so tests can assert on
 * what the server saw rather than on wall-clock time in the client. `flavor` makes it answer in
 * the exact shapes of vLLM, llama.cpp server, Ollama or OpenAI (server-flavors.ts, with sources).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatReply, type ChatBody } from './chat-replies.ts';
import { LLAMACPP_LOADING, constrainedText, flavorGrammar, flavorMaxTokens, flavorModels, flavorReject, flavorRoute, flavorShape, type Flavor } from './server-flavors.ts';

export type { ChatBody };

export type Failure =
  /** Answer this status; `retryAfter` is sent as is, `retryAfterDateMs` as an HTTP date that far ahead. */
  | { kind: 'status'; status: number; retryAfter?: string; retryAfterDateMs?: number; echoAuthorization?: boolean }
  /** Wait this long before answering normally (past the client's timeout, usually). */
  | { kind: 'slow'; delayMs: number }
  /** 200 with the body cut off mid-JSON (streams: some tokens, then half a chunk, then the end). */
  | { kind: 'truncated' }
  /** Destroy the connection before answering anything. */
  | { kind: 'drop' }
  /** Send part of the reply (streams: `after` events, default half), then destroy the connection. */
  | { kind: 'cut'; after?: number };

export interface ChatServerMode {
  /** Delay before every answer (models and chat), like a model's fixed generation time. */
  latencyMs: number;
  /** Chat requests consume these in order; after that, `always` (if set) or a normal reply. */
  failures: Failure[];
  always?: Failure;
  /** Require `Authorization: Bearer <apiKey>`; otherwise 401. */
  apiKey?: string;
  /** Send Access-Control-Allow-* headers and answer preflights (default true). */
  cors: boolean;
  /** With cors: also send `Access-Control-Expose-Headers: Retry-After` (default true; real servers do not). */
  exposeRetryAfter: boolean;
  models: { id: string; max_model_len?: number }[];
  /** Which real server to imitate (routes, model list, honoured fields, reply shapes). */
  flavor: Flavor;
  /** llama.cpp: answer 503 "Loading model" to every route for this long after setMode/start. */
  loadingMs: number;
  /** The reply text for a request; default "You said: <last user message>". */
  reply: (body: ChatBody) => string;
  /** Delay between streamed tokens. */
  tokenDelayMs: number;
  /** Write streamed events a few bytes at a time (splits lines, JSON and UTF-8 characters). */
  splitWrites: boolean;
}

export interface RecordedRequest {
  n: number;
  method: string;
  path: string;
  /** Arrival and answer times, ms on the Date.now() scale (fractional). */
  arrivedAt: number;
  answeredAt?: number;
  status?: number;
  outcome: 'ok' | Failure['kind'] | 'unauthorized' | 'bad-request' | 'not-found' | 'closed-by-client' | 'loading';
  authorization?: string;
  body?: unknown;
  retryAfter?: string;
  stream?: boolean;
}

export interface ChatServerStats {
  requests: RecordedRequest[];
  chatRequests: RecordedRequest[];
  /** Chat requests being handled now, and the most at once since start/reset. */
  inFlight: number;
  maxInFlight: number;
}

export interface ChatServer {
  /** Base URL including /v1, e.g. http://127.0.0.1:41234/v1 */
  url: string;
  /** The server root, which serves a blank HTML page (an origin for browser tests). */
  origin: string;
  stats(): ChatServerStats;
  resetStats(): void;
  setMode(mode: Partial<ChatServerMode>): void;
  close(): Promise<void>;
}

export const defaultMode = (): ChatServerMode => ({
  latencyMs: 0,
  failures: [],
  always: undefined,
  apiKey: undefined,
  cors: true,
  exposeRetryAfter: true,
  models: [{ id: 'test-model', max_model_len: 2048 }],
  flavor: 'generic',
  loadingMs: 0,
  reply: (body) => `You said: ${[...body.messages].reverse().find((m) => m.role === 'user')?.content ?? ''}`,
  tokenDelayMs: 0,
  splitWrites: false,
});

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startChatServer(options: Partial<ChatServerMode> = {}): Promise<ChatServer> {
  let mode: ChatServerMode = { ...defaultMode(), ...options, failures: [...(options.failures ?? [])] };
  let loadingUntil = now() + mode.loadingMs;
  let requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const corsHeaders = (req: IncomingMessage): Record<string, string> =>
    mode.cors
      ? {
          'access-control-allow-origin': req.headers.origin ?? '*',
          'access-control-allow-headers': 'authorization, content-type',
          ...(mode.exposeRetryAfter ? { 'access-control-expose-headers': 'Retry-After' } : {}),
          'access-control-allow-methods': 'GET, POST, OPTIONS',
        }
      : {};

  const send = (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, status: number, body: string, extra: Record<string, string> = {}): void => {
    rec.status = status;
    rec.answeredAt = now();
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...corsHeaders(req), ...extra });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> => {
    const raw = await readBody(req);
    if (req.method === 'OPTIONS') {
      rec.status = 204;
      res.writeHead(204, corsHeaders(req)).end();
      return;
    }
    if (req.method === 'GET' && rec.path === '/') {
      rec.status = 200;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>chat server</title>');
      return;
    }
    if (mode.latencyMs > 0) await sleep(mode.latencyMs);
    if (now() < loadingUntil) {
      rec.outcome = 'loading';
      return send(req, res, rec, LLAMACPP_LOADING.status, JSON.stringify(LLAMACPP_LOADING.body));
    }
    if (mode.apiKey !== undefined && req.headers.authorization !== `Bearer ${mode.apiKey}`) {
      rec.outcome = 'unauthorized';
      return send(req, res, rec, 401, JSON.stringify({ error: { message: 'Invalid API key.', type: 'invalid_request_error' } }));
    }
    if (req.method === 'GET' && rec.path === '/v1/models') return send(req, res, rec, 200, JSON.stringify(flavorModels(mode.flavor, mode.models)));
    const route = req.method === 'GET' ? flavorRoute(mode.flavor, rec.path) : undefined;
    if (route) return send(req, res, rec, route.status, typeof route.body === 'string' ? route.body : JSON.stringify(route.body));
    if (req.method !== 'POST' || rec.path !== '/v1/chat/completions') {
      rec.outcome = 'not-found';
      return send(req, res, rec, 404, JSON.stringify({ error: { message: `No route for ${req.method} ${rec.path}` } }));
    }
    let body: ChatBody;
    try {
      body = JSON.parse(raw) as ChatBody;
      rec.body = body;
    } catch {
      rec.outcome = 'bad-request';
      return send(req, res, rec, 400, JSON.stringify({ error: { message: 'The body is not JSON.' } }));
    }
    rec.stream = body.stream === true;
    const refusal = flavorReject(mode.flavor, body as ChatBody & Record<string, unknown>);
    if (refusal) {
      rec.outcome = 'bad-request';
      return send(req, res, rec, refusal.status, JSON.stringify(refusal.body));
    }
    const failure = mode.failures.shift() ?? mode.always;
    if (failure) rec.outcome = failure.kind;
    if (failure?.kind === 'drop') {
      rec.answeredAt = now();
      req.socket.destroy();
      return;
    }
    if (failure?.kind === 'status') {
      const extra: Record<string, string> = {};
      if (failure.retryAfter !== undefined) extra['retry-after'] = failure.retryAfter;
      if (failure.retryAfterDateMs !== undefined) extra['retry-after'] = new Date(Date.now() + failure.retryAfterDateMs).toUTCString();
      rec.retryAfter = extra['retry-after'];
      const said = failure.echoAuthorization ? ` (you sent authorization ${req.headers.authorization ?? 'none'})` : '';
      return send(req, res, rec, failure.status, JSON.stringify({ error: { message: `Failing on purpose with ${failure.status}${said}.` } }), extra);
    }
    if (failure?.kind === 'slow') {
      await sleep(failure.delayMs);
      if (res.destroyed) return;
    }
    const fields = body as unknown as Record<string, unknown>;
    const grammar = flavorGrammar(mode.flavor, fields);
    const maxTokens = flavorMaxTokens(mode.flavor, fields);
    const asServed: ChatBody = { ...body, ...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}) };
    const built = chatReply(asServed, (grammar !== undefined ? constrainedText(grammar) : undefined) ?? mode.reply(body));
    const promptTokens = (built.completion.usage as { prompt_tokens: number }).prompt_tokens;
    const reply = {
      ...built,
      completion: flavorShape(mode.flavor, built.completion, promptTokens, true),
      chunks: built.chunks.map((c, i) => flavorShape(mode.flavor, c, promptTokens, i >= built.chunks.length - 2)),
    };
    const cutting = failure?.kind === 'truncated' || failure?.kind === 'cut';
    if (!rec.stream) {
      const text = JSON.stringify(reply.completion);
      if (!cutting) return send(req, res, rec, 200, text);
      const part = text.slice(0, Math.floor(text.length / 2));
      if (failure.kind === 'truncated') return send(req, res, rec, 200, part);
      rec.status = 200;
      rec.answeredAt = now();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...corsHeaders(req) });
      res.write(part, () => res.destroy());
      return;
    }
    rec.status = 200;
    rec.answeredAt = now();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...corsHeaders(req) });
    const events = reply.chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`);
    const half = Math.max(1, Math.floor(events.length / 2));
    const keep = failure?.kind === 'cut' ? (failure.after ?? half) : cutting ? half : events.length;
    for (let i = 0; i < keep && !res.destroyed; i++) {
      if (i > 0 && mode.tokenDelayMs > 0) await sleep(mode.tokenDelayMs);
      await write(res, events[i] ?? '', mode.splitWrites);
    }
    if (failure?.kind === 'cut') return void res.destroy();
    if (failure?.kind === 'truncated') {
      const next = events[keep] ?? 'data: {"choices":[{"delta":{"content":"x"}}]}\n\n';
      return void res.end(next.slice(0, Math.floor(next.length / 2)));
    }
    await write(res, 'data: [DONE]\n\n', mode.splitWrites);
    res.end();
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const rec: RecordedRequest = { n: requests.length, method: req.method ?? 'GET', path, arrivedAt: now(), outcome: 'ok' };
    if (req.headers.authorization !== undefined) rec.authorization = req.headers.authorization;
    requests.push(rec);
    const isChat = path === '/v1/chat/completions' && req.method === 'POST';
    if (isChat) maxInFlight = Math.max(maxInFlight, ++inFlight);
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      if (isChat) inFlight--;
    };
    res.on('close', () => {
      if (!res.writableFinished && rec.outcome === 'ok') rec.outcome = 'closed-by-client';
      settle();
    });
    handle(req, res, rec).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    stats: () => {
      const copy = requests.map((r) => ({ ...r }));
      return { requests: copy, chatRequests: copy.filter((r) => r.path === '/v1/chat/completions'), inFlight, maxInFlight };
    },
    resetStats: () => {
      requests = [];
      maxInFlight = inFlight;
    },
    setMode: (m) => {
      mode = { ...mode, ...m, failures: m.failures ? [...m.failures] : mode.failures };
      loadingUntil = now() + (m.loadingMs ?? 0);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes an event whole, or 3 bytes at a time with a pause so the pieces leave separately. */
async function write(res: ServerResponse, text: string, split: boolean): Promise<void> {
  if (!split) return void (await new Promise<void>((r) => res.write(text, () => r())));
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length && !res.destroyed; i += 3) {
    await new Promise<void>((r) => res.write(bytes.subarray(i, i + 3), () => r()));
    await new Promise((r) => setImmediate(r));
  }
}
