/**
 * One HTTP exchange with an OpenAI-compatible endpoint, retried the way servers want: on
 * 429/5xx, dropped connections and timeouts, with exponential backoff + jitter, never sooner
 * than the server's Retry-After. Abort and interrupt stop it at once, also mid-backoff.
 *
 * The timeout is an idle timeout: it restarts whenever bytes arrive, so a long streamed reply
 * is fine as long as tokens keep coming, while a server that stalls is noticed.
 *
 * A browser reports a CORS refusal and an unreachable server as the same bare TypeError. To tell
 * the user which one it is, we probe the URL with `mode: 'no-cors'`: an opaque answer means the
 * server is up and only the CORS headers are missing. (COEP require-corp blocks that answer too;
 * then the message names both causes.)
 */
import { decideRetry, isRetryableStatus, parseRetryAfter, type RetryPolicy } from '../../core/retry.ts';
import {
  EndpointAuthError,
  EndpointCorsError,
  EndpointStatusError,
  EndpointTimeoutError,
  EndpointUnreachableError,
  corsAdvice,
} from './errors.ts';

export type StopReason = 'timeout' | 'interrupt' | 'abort';

/**
 * One call (with all its retries): stopped by the caller's signal or the engine's interrupt.
 * It is its own stop signal (the `aborted` + abort-listener shape the limiter and the attempts
 * need) rather than holding an AbortController: node creates every AbortSignal as a
 * transferable object, a cost worth paying once per request (the attempt's, which fetch
 * needs), not twice.
 */
export class Call {
  stop: StopReason | undefined;
  #listeners: (() => void)[] = [];
  #detach: () => void = () => {};

  constructor(signal?: AbortSignal) {
    if (signal?.aborted) this.halt('abort');
    else if (signal) {
      const onAbort = (): void => this.halt('abort');
      signal.addEventListener('abort', onAbort, { once: true });
      this.#detach = () => signal.removeEventListener('abort', onAbort);
    }
  }
  get aborted(): boolean {
    return this.stop !== undefined;
  }
  /** Runs `listener` once when the call stops (never if it already has: check `aborted`). */
  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.stop) this.#listeners.push(listener);
  }
  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.#listeners.indexOf(listener);
    if (i !== -1) this.#listeners.splice(i, 1);
  }
  halt(why: StopReason): void {
    if (this.stop) return;
    this.stop = why;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
  dispose(): void {
    this.#detach();
  }
}

/**
 * One attempt inside a call: adds the idle timeout. `kick()` only notes the time; the one timer
 * re-arms itself for the rest of the idle window when it fires after a kick, so a stream of many
 * chunks costs one timer, not one per chunk.
 */
export class Attempt {
  readonly controller = new AbortController();
  timedOut = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastByteAt: number;
  #onCallStop = (): void => this.controller.abort();
  #onIdle = (): void => {
    const idle = performance.now() - this.#lastByteAt;
    if (idle < this.timeoutMs) {
      this.#timer = setTimeout(this.#onIdle, this.timeoutMs - idle);
      return;
    }
    this.#timer = undefined;
    this.timedOut = true;
    this.controller.abort();
  };

  constructor(
    readonly call: Call,
    readonly timeoutMs: number,
  ) {
    call.addEventListener('abort', this.#onCallStop);
    if (call.aborted) this.controller.abort();
    this.#lastByteAt = performance.now();
    this.#timer = setTimeout(this.#onIdle, timeoutMs);
  }
  /** Bytes arrived: restart the idle timeout. */
  kick(): void {
    this.#lastByteAt = performance.now();
  }
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.call.removeEventListener('abort', this.#onCallStop);
  }
}

/** A failure worth another attempt; `toError` builds what the user sees if none is left. */
export class TransientFailure {
  constructor(
    readonly toError: (attempts: number) => Error,
    readonly retryAfterMs?: number,
  ) {}
}

/** The call was stopped by interrupt() or its signal; the caller decides what that means. */
export class Stopped {
  constructor(readonly reason: 'interrupt' | 'abort') {}
}

export interface TransportDeps {
  fetch: typeof fetch;
  random: () => number;
  now: () => number;
  /** The page's origin in a browser (undefined in node): enables the CORS diagnosis. */
  pageOrigin: string | undefined;
  /** The page is cross-origin isolated (COEP), which may block the no-cors probe. */
  isolated: boolean;
}

export const defaultTransportDeps = (): TransportDeps => ({
  fetch: (input, init) => globalThis.fetch(input, init),
  random: Math.random,
  now: Date.now,
  pageOrigin: (globalThis as { location?: { origin?: string } }).location?.origin,
  isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
});

export interface Exchange {
  url: string;
  /** `url` as shown to the user (redactUrl), worked out once per engine rather than per request. */
  endpoint: string;
  init: RequestInit;
  timeoutMs: number;
  policy: RetryPolicy;
  apiKey: string | undefined;
  /** Reads a 2xx response; throws TransientFailure for a retryable read failure. */
  read: (res: Response, attempt: Attempt) => Promise<unknown>;
  /** False once a streamed reply has shown text: retrying would repeat it. */
  canRetry: () => boolean;
}

export async function exchange<T>(call: Call, x: Exchange, deps: TransportDeps): Promise<T> {
  const endpoint = x.endpoint;
  for (let attemptNo = 0; ; attemptNo++) {
    const attempt = new Attempt(call, x.timeoutMs);
    try {
      const res = await deps.fetch(x.url, { ...x.init, signal: attempt.controller.signal }).catch(async (err: unknown) => {
        throw await failedFetch(err, attempt, endpoint, x, deps);
      });
      attempt.kick();
      if (res.ok) return (await x.read(res, attempt).catch((err: unknown) => {
        throw readFailure(err, attempt, endpoint);
      })) as T;
      throw await badStatus(res, endpoint, x.apiKey, deps.now());
    } catch (err) {
      if (call.stop === 'interrupt' || call.stop === 'abort') throw new Stopped(call.stop);
      if (!(err instanceof TransientFailure)) throw err;
      const d = x.canRetry() ? decideRetry(attemptNo, err.retryAfterMs, x.policy, deps.random) : ({ retry: false } as const);
      if (!d.retry) throw err.toError(attemptNo + 1);
      await sleep(d.delayMs, call);
    } finally {
      attempt.dispose();
    }
  }
}

function sleep(ms: number, call: Call): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Stopped(call.stop === 'interrupt' ? 'interrupt' : 'abort'));
    };
    const timer = setTimeout(() => {
      call.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (call.aborted) onAbort();
    else call.addEventListener('abort', onAbort);
  });
}

/** fetch() rejected: timeout, stop, CORS, or the network. */
async function failedFetch(err: unknown, attempt: Attempt, endpoint: string, x: Exchange, deps: TransportDeps): Promise<unknown> {
  if (attempt.timedOut) return new TransientFailure((n) => new EndpointTimeoutError(endpoint, x.timeoutMs, n));
  if (attempt.call.stop) return err;
  if (!(err instanceof TypeError)) return err;
  let detail = networkDetail(err);
  const origin = deps.pageOrigin;
  if (origin !== undefined) {
    if (isMixedContent(origin, x.url)) detail += '; this page is https and the endpoint plain http on another machine, which browsers block: serve the endpoint over https';
    else if (await corsBlocked(x.url, x.timeoutMs, deps)) return new EndpointCorsError(endpoint, origin, { cause: err });
    // Under COEP require-corp (cross-origin isolation, which wllama's threads need) the probe's
    // opaque reply is blocked too, so "unreachable" and "CORS refused" look alike: name both.
    // (COEP credentialless lets the probe through.)
    else if (deps.isolated) detail += `; if the server is running, it may not allow this page's origin. ${corsAdvice(origin)}`;
  }
  return new TransientFailure((n) => new EndpointUnreachableError(endpoint, detail, n, { cause: err }));
}

/** An https page cannot fetch plain http, except from this machine (loopback counts as secure). */
function isMixedContent(origin: string, url: string): boolean {
  if (!origin.startsWith('https:') || !url.startsWith('http:')) return false;
  const host = new URL(url).hostname;
  return host !== 'localhost' && host !== '127.0.0.1' && host !== '[::1]';
}

/** Reading the body failed: timeout, stop, a dropped connection, or our own typed error. */
function readFailure(err: unknown, attempt: Attempt, endpoint: string): unknown {
  if (attempt.timedOut) return new TransientFailure((n) => new EndpointTimeoutError(endpoint, attempt.timeoutMs, n));
  if (attempt.call.stop) return err;
  if (err instanceof TypeError) {
    const detail = `the connection closed mid-reply: ${networkDetail(err)}`;
    return new TransientFailure((n) => new EndpointUnreachableError(endpoint, detail, n, { cause: err }));
  }
  return err;
}

/** node's fetch says "fetch failed" and puts the reason (ECONNREFUSED, "other side closed") in `cause`. */
function networkDetail(err: TypeError): string {
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') return `${err.message}: ${cause.code}`;
  if (cause && typeof cause.message === 'string') return `${err.message}: ${cause.message}`;
  return err.message;
}

async function corsBlocked(url: string, timeoutMs: number, deps: TransportDeps): Promise<boolean> {
  try {
    const res = await deps.fetch(url, { mode: 'no-cors', signal: AbortSignal.timeout(timeoutMs) });
    return res.type === 'opaque' || res.ok;
  } catch {
    return false;
  }
}

async function badStatus(res: Response, endpoint: string, apiKey: string | undefined, now: number): Promise<unknown> {
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    return new EndpointAuthError(endpoint, res.status);
  }
  const detail = scrub(await errorDetail(res), apiKey);
  if (!isRetryableStatus(res.status)) return new EndpointStatusError(endpoint, res.status, detail, 1);
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now);
  return new TransientFailure((n) => new EndpointStatusError(endpoint, res.status, detail, n, retryAfter), retryAfter);
}

/** The server's own words about an error, short: `{error:{message}}`, `{error:"..."}`, or text. */
async function errorDetail(res: Response): Promise<string> {
  let text: string;
  try {
    text = await res.text();
  } catch {
    return '';
  }
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const e = j.error;
    const m = typeof e === 'string' ? e : typeof e === 'object' && e !== null && 'message' in e ? (e as { message: unknown }).message : (j.message ?? j.detail);
    if (typeof m === 'string') text = m;
  } catch {
    // not JSON: keep the text
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Servers sometimes echo the request; never let the key reach a message. */
export function scrub(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join('***') : text;
}
