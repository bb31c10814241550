/**
 * Long batch work in the worker (counting a corpus, embedding it) with progress and cancel.
 * An AbortSignal cannot cross a worker, so the client gives each call a job id and sends
 * `cancel(id)`; the work yields to the worker's message queue every slice so that message lands.
 */
import { AbortedError } from '../../core/errors.ts';
import type { BatchProgress } from '../../ports/tokenizer.ts';

export interface JobOptions {
  /** Set by the worker client; `cancel(jobId)` stops the job. */
  jobId?: number;
  /** In-thread callers can pass a signal instead. */
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
}

/** Milliseconds of work between yields: short enough for a prompt cancel, long enough to stay fast. */
const SLICE_MS = 40;

export class Jobs {
  #cancelled = new Set<number>();

  cancel(jobId: number): void {
    this.#cancelled.add(jobId);
  }

  check(job: JobOptions): void {
    if (job.signal?.aborted || (job.jobId !== undefined && this.#cancelled.has(job.jobId))) {
      this.finish(job);
      throw new AbortedError();
    }
  }

  finish(job: JobOptions): void {
    if (job.jobId !== undefined) this.#cancelled.delete(job.jobId);
  }

  /** Runs `each` over `items` in order, reporting progress and yielding between slices. */
  async map<T, R>(items: readonly T[], job: JobOptions, each: (item: T) => R | Promise<R>, step = 1): Promise<R[]> {
    const out: R[] = [];
    let sliceStart = performance.now();
    this.check(job);
    for (let i = 0; i < items.length; i++) {
      out.push(await each(items[i] as T));
      const done = i + 1;
      if (done === items.length || (done % step === 0 && performance.now() - sliceStart >= SLICE_MS)) {
        job.onProgress?.({ done, total: items.length });
        await new Promise((r) => setTimeout(r, 0));
        this.check(job);
        sliceStart = performance.now();
      }
    }
    this.finish(job);
    return out;
  }
}

/** The one load in progress, which the client can stop (a signal cannot cross the worker). */
export class Loads {
  #controller: AbortController | null = null;

  start(outer?: AbortSignal): AbortSignal {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    return outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  }

  end(): void {
    this.#controller = null;
  }

  abort(): void {
    this.#controller?.abort();
  }

  async run<T>(outer: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await work(this.start(outer));
    } finally {
      this.end();
    }
  }
}
