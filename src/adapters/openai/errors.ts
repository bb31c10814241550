/**
 * What can go wrong talking to an OpenAI-compatible endpoint, each with a message that says what
 * to do. Messages name the endpoint by origin and path only (`redactUrl`): never the API key,
 * never credentials or query strings a user pasted into the URL.
 */
import { HumpbackError } from '../../core/errors.ts';

/** The endpoint as shown to the user: origin + path, without user:password@ or ?query. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`.replace(/\/$/, '');
  } catch {
    return '(an invalid URL)';
  }
}

const tries = (attempts: number): string => (attempts > 1 ? ` after ${attempts} attempts` : '');

export class EndpointUnreachableError extends HumpbackError {
  constructor(
    readonly endpoint: string,
    detail: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      'EndpointUnreachableError',
      `Could not get a reply from ${endpoint}${tries(attempts)} (${detail}). Check that the server is running, that the base URL ` +
        '(including /v1) is right, and that this machine can reach it.',
      options,
    );
  }
}

/**
 * What a server must send for a page at `origin` to read its replies, with each server's own
 * switch (vLLM vllm/entrypoints/openai/cli_args.py `--allowed-origins`, a JSON list; llama.cpp
 * common/arg.cpp `--cors-origins`, env LLAMA_ARG_CORS_ORIGINS; Ollama envconfig `OLLAMA_ORIGINS`).
 * `Retry-After` is not a CORS-safelisted response header: unless exposed, a browser hides it and
 * we would retry sooner than the server asked.
 */
export function corsAdvice(origin: string): string {
  return (
    `The server must send "Access-Control-Allow-Origin: ${origin}" (or "*") and ` +
    '"Access-Control-Allow-Headers: authorization, content-type", and answer OPTIONS preflight requests with them ' +
    '(and "Access-Control-Expose-Headers: Retry-After" so its rate-limit waits can be read). ' +
    `vLLM: --allowed-origins '["${origin}"]'; llama.cpp server: --cors-origins ${origin}; ` +
    `Ollama: OLLAMA_ORIGINS=${origin} in the server's environment; or put a proxy that adds them in front.`
  );
}

export class EndpointCorsError extends HumpbackError {
  constructor(
    readonly endpoint: string,
    origin: string,
    options?: { cause?: unknown },
  ) {
    super(
      'EndpointCorsError',
      `The server at ${endpoint} answered, but the browser blocked the reply because the server does not allow requests from ` +
        `this page (${origin}). ${corsAdvice(origin)}`,
      options,
    );
  }
}

export class EndpointAuthError extends HumpbackError {
  constructor(
    readonly endpoint: string,
    readonly status: number,
  ) {
    super(
      'EndpointAuthError',
      `${endpoint} refused the request (HTTP ${status}). Check the API key in the engine settings` +
        (status === 403 ? ', and that it is allowed to use this model.' : '.'),
    );
  }
}

export class EndpointTimeoutError extends HumpbackError {
  constructor(
    readonly endpoint: string,
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(
      'EndpointTimeoutError',
      `${endpoint} sent nothing for ${timeoutMs / 1000} s${tries(attempts)}. Raise the per-request timeout, lower the concurrency, ` +
        'or check whether the server is overloaded.',
    );
  }
}

export class EndpointReplyError extends HumpbackError {
  constructor(
    readonly endpoint: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      'EndpointReplyError',
      `${endpoint} sent a reply that is not a valid OpenAI-compatible answer (${detail}). Check that the base URL points at ` +
        'an OpenAI-compatible API (it usually ends in /v1) and look at the server log.',
      options,
    );
  }
}

export class EndpointStatusError extends HumpbackError {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    detail: string,
    readonly attempts: number,
    /** The server's last Retry-After, for a caller (the stage runner) that retries later. */
    readonly retryAfterMs?: number,
  ) {
    super('EndpointStatusError', `${endpoint} answered HTTP ${status}${tries(attempts)}${detail ? `: ${detail}` : ''}. ${adviceFor(status)}`);
  }
}

function adviceFor(status: number): string {
  if (status === 429) return 'The server is rate-limiting: lower the concurrency or wait, then resume.';
  if (status === 404) return 'Check the base URL (it usually ends in /v1) and the model name.';
  if (status === 400 || status === 422) return 'The server rejected the request: it may not support an option used here (logprobs, JSON schema, grammar).';
  if (status >= 500) return 'The server failed: look at its log, then resume the run.';
  return 'Look at the server log.';
}

export class EndpointModelError extends HumpbackError {
  constructor(
    readonly endpoint: string,
    model: string,
    available: string[],
  ) {
    super(
      'EndpointModelError',
      `${endpoint} does not serve a model named "${model}". ` +
        (available.length > 0 ? `It serves: ${available.join(', ')}. Pick one of those.` : 'It lists no models: check the server started with one.'),
    );
  }
}

export class EndpointUrlError extends HumpbackError {
  constructor(shown: string, problem: 'credentials' | 'scheme' | 'invalid') {
    super(
      'EndpointUrlError',
      problem === 'credentials'
        ? `The endpoint URL "${shown}" carries a user name, password or ?query. Enter the base URL alone (e.g. http://127.0.0.1:8080/v1) and put the key in the API key field.`
        : problem === 'scheme'
          ? `The endpoint URL "${shown}" is not http:// or https://. Enter the server's base URL, e.g. http://127.0.0.1:8080/v1.`
          : 'The endpoint URL is not a valid URL. Enter the server\'s base URL, e.g. http://127.0.0.1:8080/v1.',
    );
  }
}

/** Checks a base URL and returns it without trailing slashes; throws EndpointUrlError. */
export function checkBaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new EndpointUrlError('', 'invalid');
  }
  const shown = redactUrl(u.href);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new EndpointUrlError(shown, 'scheme');
  if (u.username || u.password || u.search || u.hash) throw new EndpointUrlError(shown, 'credentials');
  return u.href.replace(/\/+$/, '');
}
