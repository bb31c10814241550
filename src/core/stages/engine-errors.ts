/**
 * What the runner does when the engine throws, decided by the error's `name` (errors cross a
 * worker as name + message only, so never `instanceof`):
 * - retry: transient (endpoint unreachable, timeout, rate limit, server error, lost GPU device):
 *   wait with exponential backoff and equal jitter (or the server's Retry-After), try again;
 * - fatal: retrying or moving on cannot help (bad API key, CORS, unknown model, storage full):
 *   stop the run, show the message, keep everything done so far;
 * - item: anything else is this item's problem (e.g. a request the server rejects): store a
 *   failure with the error name as its code and carry on.
 * An error that says the engine already retried it (`attempts` > 1, as the endpoint engine's
 * errors do) is not retried again here: that would multiply the requests (4 × 4 per item). It
 * is stored as the item's failure, and the next start of the run tries it again.
 */
export type ErrorAction = 'retry' | 'fatal' | 'item';

export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set([
  'EndpointUnreachableError',
  'EndpointTimeoutError',
  'TimeoutError',
  'NetworkError',
  'RateLimitError',
  'GpuDeviceLostError',
  'EngineBusyError',
]);

export const FATAL_ERRORS: ReadonlySet<string> = new Set([
  'EndpointAuthError',
  'EndpointCorsError',
  'EndpointModelError',
  'StorageFullError',
  'StorageUnavailableError',
  'WebGPUNotAvailableError',
  'WebGpuUnavailableError',
  'ModelNotLoadedError',
  'ModelDownloadError',
  'GgufRejectedError',
  'GgufDownloadError',
  'EndpointUrlError',
  'EndpointNotLoadedError',
  'EngineNotChosenError',
  'DroppedFileGoneError',
  'UnsupportedRequestError',
  'StageVersionMismatchError',
]);

export interface RetrySettings {
  /** Attempts per item, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  retryable: ReadonlySet<string>;
  fatal: ReadonlySet<string>;
  /** This many engine failures in a row (after retries) stop the run: the engine is broken, not the items. */
  maxConsecutiveFailures: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  attempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  retryable: RETRYABLE_ERRORS,
  fatal: FATAL_ERRORS,
  maxConsecutiveFailures: 16,
};

const nameOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string' ? (err as { name: string }).name : 'Error';

/** HTTP status an endpoint error carries, as a property or in its message ("answered HTTP 429"). */
function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const s = (err as { status?: unknown }).status;
  if (typeof s === 'number') return s;
  const m = /\bHTTP (\d{3})\b/.exec(String((err as { message?: unknown }).message ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** How many attempts the engine itself already made, when its error says. */
function attemptsOf(err: unknown): number {
  const a = typeof err === 'object' && err !== null ? (err as { attempts?: unknown }).attempts : undefined;
  return typeof a === 'number' ? a : 1;
}

export function classifyEngineError(err: unknown, settings: Pick<RetrySettings, 'retryable' | 'fatal'> = DEFAULT_RETRY): ErrorAction {
  const name = nameOf(err);
  if (settings.fatal.has(name)) return 'fatal';
  if (attemptsOf(err) > 1) return 'item';
  if (settings.retryable.has(name)) return 'retry';
  if (name === 'EndpointStatusError') {
    const status = statusOf(err);
    if (status !== undefined && (status === 408 || status === 429 || status >= 500)) return 'retry';
  }
  return 'item';
}

export const errorName = nameOf;

/** Delay before retry number `retry` (0 = first), never shorter than a Retry-After the error carries. */
export function retryDelay(retry: number, err: unknown, s: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const nominal = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** retry);
  const backoff = Math.round(nominal / 2 + (nominal / 2) * random());
  const after = typeof err === 'object' && err !== null ? (err as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof after === 'number' && after > backoff ? after : backoff;
}
