/**
 * One runner for every stage. It must run for hours, survive a closed tab and never lose or
 * double a result, so:
 * - on start it recounts what the run's collections already hold and skips those seqs (a
 *   record made by another stage version does not count);
 * - a finished item is written at once when no write is going, else with the items that finish
 *   during that write (one batch, at most `batchSize`), each batch in ONE store transaction
 *   together with the Run record whose progress counts exactly what is stored. So a closed tab
 *   loses the requests in flight and at most one write's worth — which the next start redoes;
 *   upsert by seq makes a redo replace, never duplicate. (Waiting to fill a batch lost dozens of
 *   finished items on a reload with a fast endpoint.);
 * - bounded concurrency: a fixed number of workers pull inputs from one shared iterator;
 * - transient engine errors are retried with backoff, per-item failures stored in
 *   `failures:<runId>` with a code (a later start retries them), fatal ones stop the run;
 * - the AbortSignal pauses (reason PAUSE) or cancels: in-flight requests are abandoned (they are
 *   redone on resume), finished ones are written first.
 */
import { describeError } from '../errors.ts';
import { SCHEMA_VERSION, type ItemFailure, type Run, type RunProgress, type RunStatus, type SeqRecord } from '../records.ts';
import type { Llm, LlmReply } from '../../ports/llm.ts';
import type { ProjectStore } from '../../ports/store.ts';
import { DEFAULT_RETRY, classifyEngineError, errorName, retryDelay, type RetrySettings } from './engine-errors.ts';
import { StageVersionMismatchError, type Stage, type StageIssue } from './stage.ts';
import { countFinished, newTally, toRunProgress, type Finished, type Tally } from './tally.ts';

/** Abort with this reason to pause (status 'paused'); any other reason cancels. */
export const PAUSE = 'pause';

export interface StageProgress extends RunProgress {
  status: RunStatus;
  /** Items already stored when this session started. */
  skipped: number;
  inFlight: number;
  retries: number;
  /** This session's rates. */
  itemsPerSec: number;
  tokensPerSec: number;
  /** Seconds left at the current rate; null when unknown. */
  etaSec: number | null;
  /** Progress in the run's own unit of work (prompt tokens) when the caller weighs inputs (`weigh`). */
  weight?: { done: number; total: number; perSec: number };
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** `In` types the `skip` and `weigh` hooks; it defaults to `never` so callers without them need not name it. */
export interface RunStageOptions<Cfg, In = never> {
  llm: Llm;
  store: ProjectStore;
  run: Run;
  config: Cfg;
  signal?: AbortSignal;
  onProgress?: (p: StageProgress) => void;
  /** Requests in flight at once; default: what the engine says it can use. */
  concurrency?: number;
  /** Most results per write; workers wait for the write when this many are finished and unwritten. Default 64. */
  batchSize?: number;
  /** Number of inputs, for ETA; default: the array's length, else the run's last known total. */
  total?: number;
  /** Retry items that failed in an earlier session (default true). */
  retryFailed?: boolean;
  retry?: Partial<RetrySettings>;
  clock?: Clock;
  random?: () => number;
  /**
   * Inputs that must not reach the engine (e.g. a segment too long for its context window): stored
   * as failures with the issue's code, without a request, and never counted as engine failures.
   */
  skip?: (input: In) => StageIssue | null;
  /** Work per input in the run's own unit (prompt tokens, measured before the run), for progress and ETA in that unit. */
  weigh?: (input: In) => number;
  /** The sum of `weigh` over every input (with `weigh`). */
  totalWeight?: number;
}

/** A failure record; `raw` keeps the reply text when the engine gave one (a stage issue). */
export type StoredFailure = ItemFailure & { raw?: string };

export interface StageOutcome {
  status: RunStatus;
  progress: RunProgress;
  error?: { name: string; message: string };
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

const tokensOf = (r: SeqRecord): number => {
  const u = (r as { usage?: { promptTokens: number; completionTokens: number } }).usage;
  return u ? u.promptTokens + u.completionTokens : 0;
};

/** Recounts a run from its stored collections: the seqs done, failures without a result, outcomes. */
async function recount<In extends SeqRecord, Out extends SeqRecord, Cfg>(stage: Stage<In, Out, Cfg>, store: ProjectStore, runId: string) {
  const tally = newTally();
  const done = new Set<number>();
  await store.scan<Out>(stage.collection(runId), (chunk) => {
    for (const r of chunk) {
      if (stage.versionOf(r) !== stage.version) continue;
      done.add(r.seq);
      countFinished(tally, { kind: 'result', seq: r.seq, outcome: stage.outcomeOf(r), tokens: tokensOf(r) });
    }
  });
  await store.scan<ItemFailure>(`failures:${runId}`, (chunk) => {
    for (const f of chunk) if (!done.has(f.seq)) countFinished(tally, { kind: 'failure', seq: f.seq, code: f.code });
  });
  return { tally, done };
}

export async function runStage<In extends SeqRecord, Out extends SeqRecord, Cfg>(
  stage: Stage<In, Out, Cfg>,
  inputs: Iterable<In> | AsyncIterable<In>,
  opts: RunStageOptions<Cfg, In>,
): Promise<StageOutcome> {
  const { llm, store, config } = opts;
  const clock = opts.clock ?? realClock;
  const random = opts.random ?? Math.random;
  const retry: RetrySettings = { ...DEFAULT_RETRY, ...opts.retry };
  const runId = opts.run.id;
  if (opts.run.stage !== stage.id) throw new RangeError(`Run ${runId} is a ${opts.run.stage} run, not ${stage.id}.`);
  if (opts.run.stageVersion !== stage.version) throw new StageVersionMismatchError(runId, opts.run.stageVersion, stage.version);
  const concurrency = Math.max(1, opts.concurrency ?? (await llm.capabilities()).concurrency);
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  const retryFailed = opts.retryFailed ?? true;

  const { tally: persisted, done } = await recount(stage, store, runId);
  const live: Tally = { done: persisted.done, failed: new Map(persisted.failed), outcomes: { ...persisted.outcomes }, tokens: persisted.tokens };
  const total = opts.total ?? (Array.isArray(inputs) ? inputs.length : Math.max(opts.run.progress.total, persisted.done + persisted.failed.size));
  const startedAt = opts.run.progress.startedAt;
  const skipped = persisted.done + (retryFailed ? 0 : persisted.failed.size);
  let run: Run = { ...opts.run, status: 'running', progress: toRunProgress(persisted, total, startedAt, clock.now()) };
  delete run.error;
  await store.putRun(run);

  // One controller stops everything: the caller's signal, a fatal engine error, or a failed write.
  const stop = new AbortController();
  const forward = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) forward();
  else opts.signal?.addEventListener('abort', forward, { once: true });
  let fatal: unknown;
  let storeError: unknown;

  const session = { start: clock.now(), items: 0, tokens: 0, inFlight: 0, retries: 0, lastReport: -Infinity, weight: 0, weightBefore: 0 };
  const weigh = opts.weigh;
  const report = (status: RunStatus, force = false) => {
    if (!opts.onProgress) return;
    const now = clock.now();
    if (!force && now - session.lastReport < 250) return;
    session.lastReport = now;
    const secs = Math.max(1e-3, (now - session.start) / 1000);
    const itemsPerSec = session.items / secs;
    const left = Math.max(0, total - live.done - live.failed.size);
    const weight = weigh ? { done: session.weightBefore + session.weight, total: opts.totalWeight ?? 0, perSec: session.weight / secs } : undefined;
    const weightEta = weight && weight.perSec > 0 ? Math.max(0, weight.total - weight.done) / weight.perSec : null;
    opts.onProgress({
      ...toRunProgress(live, total, startedAt, now),
      status,
      skipped,
      inFlight: session.inFlight,
      retries: session.retries,
      itemsPerSec,
      tokensPerSec: session.tokens / secs,
      etaSec: left === 0 && total > 0 ? 0 : weightEta ?? (total > 0 && itemsPerSec > 0 ? left / itemsPerSec : null),
      ...(weight ? { weight } : {}),
    });
  };

  // Finished items wait here for the write that is going to end.
  let results: Out[] = [];
  let failures: StoredFailure[] = [];
  let finished: Finished[] = [];
  let writing: Promise<void> | null = null;

  const write = async () => {
    if (storeError !== undefined || finished.length === 0) return;
    // At most batchSize results go in one write; the rest wait for the next. Failures all go now.
    const res = results.splice(0, batchSize);
    const fails = failures;
    failures = [];
    let items = finished;
    finished = [];
    if (results.length > 0) {
      const written = new Set(res.map((r) => r.seq));
      finished = items.filter((i) => i.kind === 'result' && !written.has(i.seq));
      items = items.filter((i) => i.kind === 'failure' || written.has(i.seq));
    }
    try {
      // Results first, then failures: each write carries the Run counting exactly what is stored after it.
      for (const item of items) if (item.kind === 'result') countFinished(persisted, item);
      run = { ...run, progress: toRunProgress(persisted, total, startedAt, clock.now()) };
      if (res.length > 0) await store.put(stage.collection(runId), res, { runs: [run] });
      if (fails.length > 0) {
        for (const item of items) if (item.kind === 'failure') countFinished(persisted, item);
        run = { ...run, progress: toRunProgress(persisted, total, startedAt, clock.now()) };
        await store.put(`failures:${runId}`, fails, { runs: [run] });
      }
    } catch (err) {
      storeError = err;
      stop.abort('store');
    }
  };
  const drain = async () => {
    while (finished.length > 0 && storeError === undefined) await write();
  };
  // Starts writing what is finished unless a write is going (that one's loop takes it next).
  const kick = (): Promise<void> =>
    (writing ??= drain().finally(() => {
      writing = null;
      if (finished.length > 0 && storeError === undefined) void kick();
    }));
  const flush = async (): Promise<void> => {
    while (writing) await writing;
    await drain();
  };

  const iterator = Symbol.asyncIterator in inputs ? (inputs as AsyncIterable<In>)[Symbol.asyncIterator]() : (inputs as Iterable<In>)[Symbol.iterator]();
  let pulling: Promise<unknown> = Promise.resolve();
  let exhausted = false;
  // Pulls are chained so concurrent workers never call next() on the iterator at the same time.
  const next = (): Promise<In | undefined> => {
    const p = pulling.then(async () => {
      while (!exhausted && !stop.signal.aborted) {
        let r: IteratorResult<In>;
        try {
          r = await iterator.next();
        } catch (err) {
          // The inputs failed to load (a store read): keep what is finished, then fail.
          storeError ??= err;
          stop.abort('inputs');
          return undefined;
        }
        if (r.done) {
          exhausted = true;
          return undefined;
        }
        const seq = r.value.seq;
        if (done.has(seq) || (!retryFailed && persisted.failed.has(seq))) {
          if (weigh) session.weightBefore += weigh(r.value);
          continue;
        }
        return r.value;
      }
      return undefined;
    });
    pulling = p;
    return p;
  };

  let consecutive = 0;
  const failure = (input: In, code: string, message: string, attempts: number, raw?: string): void => {
    const f: StoredFailure = { schemaVersion: SCHEMA_VERSION, seq: input.seq, runId, code, message, attempts, createdAt: clock.now() };
    if (raw !== undefined) f.raw = raw;
    failures.push(f);
    finished.push({ kind: 'failure', seq: input.seq, code });
    countFinished(live, { kind: 'failure', seq: input.seq, code });
  };

  const processItem = async (input: In): Promise<void> => {
    const skipped = opts.skip?.(input);
    if (skipped) {
      failure(input, skipped.code, skipped.message, 0);
      return;
    }
    const request = stage.request(input, config);
    for (let attempt = 1; ; attempt++) {
      let reply: LlmReply;
      try {
        reply = await llm.complete(request, { signal: stop.signal });
      } catch (err) {
        if (stop.signal.aborted) return; // abandoned: redone on resume
        const action = classifyEngineError(err, retry);
        if (action === 'fatal') {
          fatal ??= err;
          stop.abort('fatal');
          return;
        }
        if (action === 'retry' && attempt < retry.attempts) {
          session.retries++;
          await clock.sleep(retryDelay(attempt - 1, err, retry, random), stop.signal);
          if (stop.signal.aborted) return;
          continue;
        }
        failure(input, errorName(err), describeError(err).message, attempt);
        if (weigh) session.weight += weigh(input);
        if (++consecutive >= retry.maxConsecutiveFailures) {
          fatal ??= err;
          stop.abort('fatal');
        }
        return;
      }
      if (reply.finishReason === 'abort' && stop.signal.aborted) return;
      consecutive = 0;
      const parsed = stage.parse(reply, input, config, runId, clock.now());
      if (parsed.ok) {
        const item: Finished = { kind: 'result', seq: input.seq, outcome: stage.outcomeOf(parsed.value), tokens: tokensOf(parsed.value) };
        results.push(parsed.value);
        finished.push(item);
        countFinished(live, item);
      } else {
        failure(input, parsed.issue.code, parsed.issue.message, attempt, parsed.issue.raw);
      }
      session.items++;
      session.tokens += reply.usage.promptTokens + reply.usage.completionTokens;
      if (weigh) session.weight += weigh(input);
      return;
    }
  };

  const worker = async () => {
    for (let input = await next(); input !== undefined; input = await next()) {
      session.inFlight++;
      await processItem(input);
      session.inFlight--;
      // The slot stays taken until this item is stored: a reload then re-asks at most `concurrency`
      // requests (those in flight), never also the finished items still waiting for a write.
      await kick();
      report('running');
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', forward);
  }
  if (!exhausted) {
    try {
      await iterator.return?.(); // let a generator over the store close its cursor
    } catch (err) {
      storeError ??= err;
    }
  }
  await flush();
  if (storeError !== undefined) throw storeError;

  const reason = opts.signal?.aborted ? opts.signal.reason : undefined;
  const status: RunStatus = fatal !== undefined ? 'failed' : opts.signal?.aborted ? (reason === PAUSE ? 'paused' : 'cancelled') : 'done';
  run = { ...run, status, progress: toRunProgress(persisted, total, startedAt, clock.now()) };
  if (fatal !== undefined) run.error = describeError(fatal);
  await store.putRun(run);
  report(status, true);
  const outcome: StageOutcome = { status, progress: run.progress };
  if (run.error) outcome.error = run.error;
  return outcome;
}
