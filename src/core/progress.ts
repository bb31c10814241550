/**
 * Rate and ETA for long work (ingest, generation, rating, export). The rate is smoothed over a
 * sliding window of recent samples, so a slow start or a burst does not swing the ETA.
 */
export interface ProgressSample {
  at: number;
  done: number;
}

export interface ProgressEstimate {
  /** Units per second over the window, or null before two samples. */
  rate: number | null;
  /** Seconds left, or null when unknown. */
  etaSeconds: number | null;
  fraction: number;
}

export class RateWindow {
  readonly #samples: ProgressSample[] = [];
  readonly #spanMs: number;

  constructor(spanMs = 10_000) {
    this.#spanMs = spanMs;
  }

  add(sample: ProgressSample): void {
    const last = this.#samples[this.#samples.length - 1];
    if (last && sample.done < last.done) this.#samples.length = 0; // restarted
    this.#samples.push(sample);
    while (this.#samples.length > 2 && sample.at - (this.#samples[0]?.at ?? sample.at) > this.#spanMs) this.#samples.shift();
  }

  estimate(total: number): ProgressEstimate {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    const fraction = total > 0 && last ? Math.min(1, last.done / total) : 0;
    if (!first || !last || last.at <= first.at) return { rate: null, etaSeconds: null, fraction };
    const rate = ((last.done - first.done) * 1000) / (last.at - first.at);
    const left = Math.max(0, total - last.done);
    return { rate, etaSeconds: rate > 0 ? left / rate : left === 0 ? 0 : null, fraction };
  }
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
