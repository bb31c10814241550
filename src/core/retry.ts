/**
 * When to retry a request and how long to wait first. Pure arithmetic so it can be tested
 * exactly: randomness and the clock come in as arguments.
 *
 * Exponential backoff with "equal jitter" (half the delay fixed, half random): many clients
 * failing together spread out instead of retrying in lockstep, yet each still waits at least
 * half the nominal delay. A server's `Retry-After` is a floor we never undercut.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (0 = try once). */
  maxRetries: number;
  /** Nominal delay before the first retry; doubles each time. */
  baseDelayMs: number;
  /** Cap on the backoff delay (not on Retry-After). */
  maxDelayMs: number;
  /** A server asking to wait longer than this is treated as "come back later": give up now. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Statuses worth retrying: rate limits, timeouts and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds ("2", "1.5") or an HTTP date.
 * A date in the past means 0. Returns undefined when the header is missing or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // HTTP dates always name a weekday or month; a bare number like "-1" must not parse as a year.
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Backoff before retry number `retry` (0 = first retry), with equal jitter from `random` in [0, 1). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(nominal / 2 + (nominal / 2) * random());
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'exhausted' | 'retry-after-too-long' };

/**
 * Decides whether failed attempt number `attempt` (0 = the first try) is retried, and after how
 * long: the backoff, or the server's Retry-After if that is longer.
 */
export function decideRetry(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (attempt >= policy.maxRetries) return { retry: false, reason: 'exhausted' };
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return { retry: false, reason: 'retry-after-too-long' };
  const backoff = backoffDelay(attempt, policy, random);
  return { retry: true, delayMs: Math.max(backoff, retryAfterMs ?? 0) };
}
