import { expect, it } from 'vitest';
import { RateWindow, formatDuration } from '../../src/core/progress.ts';

it('estimates rate and ETA over a sliding window', () => {
  const w = new RateWindow(10_000);
  expect(w.estimate(100)).toEqual({ rate: null, etaSeconds: null, fraction: 0 });
  w.add({ at: 0, done: 0 });
  w.add({ at: 1000, done: 10 });
  expect(w.estimate(100)).toEqual({ rate: 10, etaSeconds: 9, fraction: 0.1 });
  // A slow start falls out of the window.
  w.add({ at: 20_000, done: 210 });
  w.add({ at: 21_000, done: 240 });
  const e = w.estimate(300);
  expect(e.rate).toBe(30);
  expect(e.etaSeconds).toBe(2);
  expect(e.fraction).toBe(0.8);
});

it('resets when done goes backwards (a restart)', () => {
  const w = new RateWindow();
  w.add({ at: 0, done: 50 });
  w.add({ at: 1000, done: 60 });
  w.add({ at: 2000, done: 0 });
  expect(w.estimate(100).rate).toBeNull();
});

it('formats durations', () => {
  expect(formatDuration(null)).toBe('—');
  expect(formatDuration(42.4)).toBe('42 s');
  expect(formatDuration(125)).toBe('2 min 5 s');
  expect(formatDuration(3 * 3600 + 61)).toBe('3 h 1 min');
});
