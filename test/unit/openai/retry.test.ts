import { describe, expect, it } from 'vitest';
import { backoffDelay, decideRetry, isRetryableStatus, parseRetryAfter, type RetryPolicy } from '../../../src/core/retry.ts';

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });
  it('reads an HTTP date relative to now, past dates as 0', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:03 GMT', NOW)).toBe(3000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', NOW)).toBe(0);
  });
  it('returns undefined for missing or unreadable values', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('-1', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('doubles from the base, capped, with equal jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((r) => backoffDelay(r, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((r) => backoffDelay(r, policy, () => 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(150);
  });
  it('retries up to maxRetries, never sooner than Retry-After, gives up when asked to wait too long', () => {
    expect(decideRetry(0, undefined, policy, () => 0)).toEqual({ retry: true, delayMs: 50 });
    expect(decideRetry(0, 3000, policy, () => 0)).toEqual({ retry: true, delayMs: 3000 });
    expect(decideRetry(3, 10, policy, () => 0)).toEqual({ retry: false, reason: 'exhausted' });
    expect(decideRetry(2, 10, policy, () => 0)).toEqual({ retry: true, delayMs: 200 });
    expect(decideRetry(1, 6000, policy, () => 0)).toEqual({ retry: false, reason: 'retry-after-too-long' });
  });
  it('knows which statuses are transient', () => {
    expect([400, 401, 403, 404, 408, 422, 429, 500, 502, 503, 504].filter(isRetryableStatus)).toEqual([408, 429, 500, 502, 503, 504]);
  });
});
