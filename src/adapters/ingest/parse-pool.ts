/**
 * Parse workers for the ingest worker: whole files are read, segmented and assessed on several
 * threads at once (one file per worker), while the ingest worker admits their output strictly
 * in file order — so a corpus of many files uses every core and still keeps exactly the
 * segments a one-thread ingest keeps. Each file's output waits in a bounded queue until its
 * turn; a worker whose queue is full is held at its next batch, so memory stays bounded
 * however far ahead the workers could run.
 */
import * as Comlink from 'comlink';
import type { Assessed } from '../../core/corpus/pipeline.ts';
import { AbortedError, HumpbackError } from '../../core/errors.ts';
import { ParseService, type ParseOutcome, type ParseRequest, type ParseSink } from './parse-service.ts';

/** A parse worker stopped answering; the file it had is marked failed and can be read again. */
export class ParseWorkerError extends HumpbackError {
  constructor(detail: string) {
    super('ParseWorkerError', `A background reader stopped (${detail}). Reload the page, then read the waiting files again; if it keeps happening, drop fewer or smaller files at once.`);
  }
}

/** A parse service on this thread or in a worker. */
export interface TextParser {
  connect(sink: ParseSink): void;
  parse(req: ParseRequest): Promise<ParseOutcome>;
  cancel(id: number): void;
  dispose(): void;
}

export function inProcessParser(): TextParser {
  const service = new ParseService();
  return {
    connect: (sink) => service.connect(sink),
    parse: (req) => service.parse(req),
    cancel: (id) => service.cancel(id),
    dispose: () => undefined,
  };
}

export function workerParser(worker: Worker): TextParser {
  const remote = Comlink.wrap<ParseService>(worker);
  // A worker that dies (out of memory, a failed module load) never answers again: every parse
  // it had, and every later one, fails with a message instead of waiting forever.
  const crashed = new Promise<never>((_, reject) => {
    const fail = (e: Event) => {
      // Handled here: the page should not also report it as an uncaught error.
      e.preventDefault();
      reject(new ParseWorkerError(e instanceof ErrorEvent && e.message ? e.message : e.type));
    };
    worker.addEventListener('error', fail);
    worker.addEventListener('messageerror', fail);
  });
  crashed.catch(() => undefined);
  return {
    connect: (sink) => void remote.connect(Comlink.proxy(sink)),
    parse: (req) => Promise.race([remote.parse(req), crashed]),
    cancel: (id) => void remote.cancel(id),
    dispose: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/**
 * One parse worker per core, where this thread can start workers; else one parser in-process.
 * The ingest worker itself mostly waits (admitting and storing is the light part).
 */
export function defaultParsers(): TextParser[] {
  if (typeof Worker === 'undefined') return [inProcessParser()];
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
  return Array.from({ length: Math.max(1, Math.min(4, cores)) }, () => workerParser(new Worker(new URL('../../../workers/parse.worker.ts', import.meta.url), { type: 'module' })));
}

/** Assessed segments a file may have waiting for its turn before its parser is held. */
export const QUEUE_CAPACITY = 4000;

/** One file's output on its way from a parser to the admitting loop. */
export class ParsedFile {
  readonly #capacity: number;
  #batches: Assessed[][] = [];
  #queued = 0;
  #end: { outcome: ParseOutcome } | { error: unknown } | null = null;
  #closed = false;
  #wakeReader: (() => void) | null = null;
  #held: (() => void)[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** From the parser: resolves once there is room again (at once after `close`). */
  push(items: Assessed[]): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#batches.push(items);
    this.#queued += items.length;
    this.#wake();
    if (this.#queued < this.#capacity) return Promise.resolve();
    return new Promise((resolve) => this.#held.push(resolve));
  }

  finish(outcome: ParseOutcome): void {
    this.#end ??= { outcome };
    this.#wake();
  }

  fail(error: unknown): void {
    this.#end ??= { error };
    this.#wake();
  }

  /** The next batch in file order; null once the file is parsed (then read `outcome`). Throws what the parse threw. */
  async next(): Promise<Assessed[] | null> {
    for (;;) {
      const batch = this.#batches.shift();
      if (batch) {
        this.#queued -= batch.length;
        if (this.#queued < this.#capacity) this.#release();
        return batch;
      }
      if (this.#end) {
        if ('error' in this.#end) throw this.#end.error;
        return null;
      }
      await new Promise<void>((resolve) => (this.#wakeReader = resolve));
    }
  }

  get outcome(): ParseOutcome {
    if (!this.#end || !('outcome' in this.#end)) throw new Error('ParsedFile.outcome was read before the file was parsed.');
    return this.#end.outcome;
  }

  /**
   * Drops what is queued and lets the parser go on (to be cancelled, or to finish into nothing);
   * a reader still waiting on this file gets an AbortedError.
   */
  close(): void {
    this.#closed = true;
    this.#batches = [];
    this.#queued = 0;
    this.#end ??= { error: new AbortedError() };
    this.#wake();
    this.#release();
  }

  #wake(): void {
    const wake = this.#wakeReader;
    this.#wakeReader = null;
    wake?.();
  }

  #release(): void {
    const held = this.#held;
    this.#held = [];
    for (const resolve of held) resolve();
  }
}

export class ParsePool {
  readonly #parsers: TextParser[];
  readonly #files = new Map<number, ParsedFile>();
  #onBytes: (id: number, bytes: number) => void = () => undefined;
  #nextId = 1;

  constructor(parsers: TextParser[]) {
    if (parsers.length === 0) throw new RangeError('A parse pool needs at least one parser.');
    this.#parsers = parsers;
    // One sink per parser for the pool's life; calls for a parse that was cancelled find no file and are dropped.
    const sink: ParseSink = {
      batch: (id, items) => this.#files.get(id)?.push(items),
      bytes: (id, bytes) => this.#onBytes(id, bytes),
    };
    for (const p of parsers) p.connect(sink);
  }

  get size(): number {
    return this.#parsers.length;
  }

  /**
   * Starts parsing `requests` (ids are assigned here), each parser taking the next file in order
   * as it frees up. Read each file's output with `file(i)`, in order; `stop()` when done or abandoned.
   */
  run(requests: readonly Omit<ParseRequest, 'id'>[], onBytes: (index: number, bytes: number) => void, capacity = QUEUE_CAPACITY): ParseRun {
    const ids = requests.map(() => this.#nextId++);
    const index = new Map(ids.map((id, i) => [id, i]));
    const files = ids.map((id) => {
      const f = new ParsedFile(capacity);
      this.#files.set(id, f);
      return f;
    });
    this.#onBytes = (id, bytes) => {
      const i = index.get(id);
      if (i !== undefined) onBytes(i, bytes);
    };
    let next = 0;
    let stopped = false;
    // Files are started at most `ahead` past the one being read, so what waits stays bounded
    // (ahead × capacity segments) however many small files the workers could race through.
    const ahead = this.#parsers.length + 1;
    let reading = 0;
    let wakeParsers: (() => void)[] = [];
    const wake = () => {
      const w = wakeParsers;
      wakeParsers = [];
      for (const resolve of w) resolve();
    };
    const running = new Map<number, TextParser>();
    const work = async (parser: TextParser) => {
      for (;;) {
        while (!stopped && next < requests.length && next > reading + ahead) await new Promise<void>((resolve) => wakeParsers.push(resolve));
        if (stopped || next >= requests.length) return;
        const i = next++;
        const id = ids[i] as number;
        const file = files[i] as ParsedFile;
        running.set(id, parser);
        try {
          file.finish(await parser.parse({ ...(requests[i] as Omit<ParseRequest, 'id'>), id }));
        } catch (err) {
          file.fail(err);
        } finally {
          running.delete(id);
          this.#files.delete(id);
        }
      }
    };
    const done = Promise.all(this.#parsers.map(work));
    return {
      file: (i) => {
        if (i > reading) {
          reading = i;
          wake();
        }
        return files[i] as ParsedFile;
      },
      stop: async () => {
        stopped = true;
        wake();
        for (const [id, parser] of running) parser.cancel(id);
        for (const f of files) f.close();
        for (const id of ids) this.#files.delete(id);
        await done;
      },
    };
  }

  dispose(): void {
    for (const p of this.#parsers) p.dispose();
  }
}

export interface ParseRun {
  file(index: number): ParsedFile;
  /** Cancels what is still parsing, drops what is queued, and resolves when every parser is idle. */
  stop(): Promise<void>;
}
