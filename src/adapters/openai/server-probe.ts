/**
 * Asking an endpoint what server it is, before the first real request: the routes only one kind
 * of server answers (llama.cpp `/props`, vLLM `/version`, Ollama `/api/version`), at the server
 * root (the base URL without its `/v1`). A route that fails, 404s or is blocked just counts as
 * "not answered": detection never fails a load.
 *
 * A llama.cpp server that is still loading its model answers 503 "Loading model" (recent builds
 * to every route, older ones to all but `/v1/models`); `waitWhileLoading` polls `/health` until
 * it is ready, saying so on the progress callback, so a run never starts against a server that
 * would fail every item.
 */
import { detectServer, isLoadingReply, readProps, type LlamaCppProps, type ServerKind } from '../../core/endpoint-servers.ts';
import { AbortedError } from '../../core/errors.ts';
import type { EndpointModel } from '../../core/chat-completions.ts';
import type { LoadProgress } from '../../ports/llm.ts';

export interface ProbeDeps {
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** Each probe gives up after this long. */
  timeoutMs: number;
}

/** What the server told us about itself. */
export interface ServerFacts {
  detected: ServerKind;
  props: LlamaCppProps;
}

/** The server root: `http://host:8080/v1` → `http://host:8080`. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, '');
}

interface Answer {
  status: number;
  body: unknown;
}

async function getJson(url: string, d: ProbeDeps, signal?: AbortSignal): Promise<Answer | null> {
  const timeout = AbortSignal.timeout(d.timeoutMs);
  try {
    const res = await d.fetch(url, { method: 'GET', headers: d.headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (an HTML page, an empty 200): the route is not the one we asked about
    }
    return { status: res.status, body };
  } catch {
    if (signal?.aborted) throw new AbortedError();
    return null;
  }
}

const ok = (a: Answer | null): unknown => (a && a.status >= 200 && a.status < 300 ? a.body : undefined);

export async function probeServer(baseUrl: string, models: readonly EndpointModel[], d: ProbeDeps, signal?: AbortSignal): Promise<ServerFacts> {
  const root = serverRoot(baseUrl);
  const [props, version, ollamaVersion] = await Promise.all([
    getJson(`${root}/props`, d, signal),
    getJson(`${root}/version`, d, signal),
    getJson(`${root}/api/version`, d, signal),
  ]);
  const evidence = {
    props: ok(props),
    version: ok(version),
    ollamaVersion: ok(ollamaVersion),
    ownedBy: models.map((m) => m.ownedBy).filter((o): o is string => o !== undefined),
    baseUrl,
  };
  return { detected: detectServer(evidence), props: readProps(evidence.props) };
}

/**
 * Resolves once `/health` stops answering 503 "Loading model" (at once for servers that have no
 * such route or are ready). Progress text says how long the server has been loading.
 */
export async function waitWhileLoading(
  baseUrl: string,
  d: ProbeDeps,
  options: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void; pollMs?: number; now?: () => number } = {},
): Promise<void> {
  const url = `${serverRoot(baseUrl)}/health`;
  const now = options.now ?? Date.now;
  const started = now();
  for (;;) {
    const a = await getJson(url, d, options.signal);
    if (!a || !isLoadingReply(a.status, a.body)) return;
    const seconds = Math.round((now() - started) / 1000);
    options.onProgress?.({ fraction: 0, text: `The server is still loading its model (${seconds} s so far); waiting for /health to say it is ready…` });
    await sleep(options.pollMs ?? 1000, options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
