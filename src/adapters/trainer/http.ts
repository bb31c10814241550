/**
 * The one place trainer adapters touch the network. It turns every failure into a named error
 * whose message says what to do, strips the API key from anything it reports, and retries only
 * what is safe to repeat: GET requests, on 429 (waiting as long as Retry-After asks), 5xx, a
 * dropped connection or no answer in time. A POST is never repeated by itself — repeating
 * "create job" could start (and bill) a second job.
 */
import { AbortedError } from '../../core/errors.ts';
import { redact } from '../../core/training/redact.ts';
import {
  TrainerAuthError,
  TrainerNotFoundError,
  TrainerRateLimitError,
  TrainerRejectedError,
  TrainerServerError,
  TrainerUnreachableError,
} from '../../core/training/errors.ts';

export interface HttpOptions {
  fetch?: typeof fetch;
  /** Waits between retries; tests pass one that records the delays. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Extra attempts for GET requests. */
  maxRetries?: number;
  /** Per attempt. */
  timeoutMs?: number;
  baseDelayMs?: number;
  /** Longest single wait, whatever Retry-After says. */
  maxDelayMs?: number;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After as seconds (it may be a number of seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value.trim());
  if (Number.isFinite(n) && n >= 0) return n;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  /** JSON value, or multipart form data (file uploads). */
  body?: unknown;
  signal?: AbortSignal;
  /** What a 404 means, in words: "fine-tuning job ftjob-1". */
  what: string;
}

/** Pulls the service's own explanation out of an error body (OpenAI: {error:{message}}). */
function detailOf(text: string): string {
  let detail = text.trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const e = parsed.error;
    if (typeof e === 'string') detail = e;
    else if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') detail = (e as { message: string }).message;
    else if (typeof parsed.message === 'string') detail = parsed.message;
  } catch {
    // not JSON: an HTML error page or plain text; keep the start of it
  }
  return detail.replace(/\s+/g, ' ').slice(0, 300);
}

export class TrainerHttp {
  readonly #label: string;
  readonly #baseUrl: string;
  readonly #apiKey: string | null;
  readonly #fetch: typeof fetch;
  readonly #sleep: NonNullable<HttpOptions['sleep']>;
  readonly #maxRetries: number;
  readonly #timeoutMs: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;

  constructor(label: string, baseUrl: string, apiKey: string | null, options: HttpOptions = {}) {
    this.#label = label;
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#apiKey = apiKey && apiKey.trim() !== '' ? apiKey.trim() : null;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#sleep = options.sleep ?? sleep;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 60_000;
  }

  get label(): string {
    return this.#label;
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Anything we report, with the key (and key-shaped strings) removed. */
  redact<T>(value: T): T {
    return redact(value, this.#apiKey ? [this.#apiKey] : []);
  }

  async json<T>(spec: RequestSpec): Promise<T> {
    const attempts = spec.method === 'GET' ? this.#maxRetries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once<T>(spec);
      } catch (err) {
        const last = attempt + 1 >= attempts;
        const name = (err as { name?: string }).name;
        const transient = name === 'TrainerRateLimitError' || name === 'TrainerServerError' || name === 'TrainerUnreachableError';
        if (last || !transient || spec.signal?.aborted) throw err;
        const asked = err instanceof TrainerRateLimitError ? err.retryAfterSeconds : null;
        const delay = asked !== null ? asked * 1000 : this.#baseDelayMs * 2 ** attempt;
        await this.#sleep(Math.min(delay, this.#maxDelayMs), spec.signal);
      }
    }
  }

  async #once<T>(spec: RequestSpec): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let body: BodyInit | undefined;
    if (spec.body instanceof FormData) body = spec.body;
    else if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(this.#baseUrl + spec.path, { method: spec.method, headers, body, signal });
      text = await res.text();
    } catch (err) {
      if (spec.signal?.aborted) throw new AbortedError();
      const limit = this.#timeoutMs >= 1000 ? `${Math.round(this.#timeoutMs / 1000)} s` : `${this.#timeoutMs} ms`;
      const reason = timeout.aborted ? `no answer within ${limit}` : 'the connection failed or was dropped';
      const unsure = spec.method === 'POST' ? '; the request may or may not have reached it, so check its job list before submitting again' : '';
      throw new TrainerUnreachableError(this.#label, this.redact(reason + unsure));
    }
    if (res.ok) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new TrainerServerError(this.#label, res.status, 'the answer was not JSON; is the address the API base (for example ending in /v1)?');
      }
    }
    const detail = this.redact(detailOf(text));
    const s = res.status;
    if (s === 401 || s === 403) throw new TrainerAuthError(s, this.#label, detail);
    if (s === 404) throw new TrainerNotFoundError(this.#label, spec.what, detail);
    if (s === 429) throw new TrainerRateLimitError(this.#label, parseRetryAfter(res.headers.get('retry-after')), detail);
    if (s >= 500) throw new TrainerServerError(this.#label, s, detail);
    throw new TrainerRejectedError(this.#label, s, detail);
  }
}
