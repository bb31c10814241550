/**
 * The page's side of the tokenizer worker: the Tokenizer and Embedder ports over comlink.
 * An AbortSignal cannot be sent to a worker, so each batch call gets a job id and an abort sends
 * `cancel(id)`; a load in progress is stopped with `abortLoad()`. Progress callbacks travel as
 * comlink proxies. Errors arrive as name + message: switch on `err.name`.
 */
import * as Comlink from 'comlink';
import type { ChatMessage } from '../../ports/llm.ts';
import type { Embedder, EmbedderInfo, EmbeddingModelSource } from '../../ports/embedder.ts';
import type { BatchOptions, LoadTokenizerOptions, Tokenizer, TokenizerInfo, TokenizerSource, Truncated } from '../../ports/tokenizer.ts';
import type { EmbedderService } from './embedder-service.ts';
import type { TokenizerService } from './tokenizer-service.ts';

/** What workers/tokenizer.worker.ts exposes (proxy-marked, so comlink types the services as remote objects). */
export interface TokenWorkerApi {
  tokenizer: TokenizerService & Comlink.ProxyMarked;
  embedder: EmbedderService & Comlink.ProxyMarked;
}

type Remote = Comlink.Remote<TokenWorkerApi>;

let nextJob = 1;

async function withJob<T>(options: BatchOptions, cancel: (id: number) => Promise<void>, call: (jobId: number, onProgress?: BatchOptions['onProgress']) => Promise<T>): Promise<T> {
  const jobId = nextJob++;
  const stop = () => void cancel(jobId);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await call(jobId, options.onProgress ? Comlink.proxy(options.onProgress) : undefined);
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

async function withLoad<T>(signal: AbortSignal | undefined, abort: () => Promise<void>, call: () => Promise<T>): Promise<T> {
  if (signal?.aborted) await abort();
  const stop = () => void abort();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const pending = call();
    if (signal?.aborted) await abort();
    return await pending;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

export class TokenizerClient implements Tokenizer {
  constructor(private remote: Remote) {}

  load(source: TokenizerSource, options: LoadTokenizerOptions = {}): Promise<TokenizerInfo> {
    const onProgress = options.onProgress ? Comlink.proxy(options.onProgress) : undefined;
    return withLoad(options.signal, () => this.remote.tokenizer.abortLoad(), () => this.remote.tokenizer.load(source, {}, onProgress));
  }

  info(): Promise<TokenizerInfo | null> {
    return this.remote.tokenizer.info();
  }

  count(texts: string[], options: BatchOptions = {}): Promise<number[]> {
    return withJob(options, (id) => this.remote.tokenizer.cancel(id), (jobId, onProgress) => this.remote.tokenizer.count(texts, { jobId }, onProgress));
  }

  countChat(messages: ChatMessage[]): Promise<number> {
    return this.remote.tokenizer.countChat(messages);
  }

  truncate(texts: string[], maxTokens: number, options: BatchOptions = {}): Promise<Truncated[]> {
    return withJob(options, (id) => this.remote.tokenizer.cancel(id), (jobId, onProgress) => this.remote.tokenizer.truncate(texts, maxTokens, { jobId }, onProgress));
  }
}

export class EmbedderClient implements Embedder {
  constructor(private remote: Remote) {}

  load(source: EmbeddingModelSource, options: { signal?: AbortSignal; onProgress?: (p: { file: string; loadedBytes: number }) => void } = {}): Promise<EmbedderInfo> {
    const onProgress = options.onProgress ? Comlink.proxy(options.onProgress) : undefined;
    return withLoad(options.signal, () => this.remote.embedder.abortLoad(), () => this.remote.embedder.load(source, {}, onProgress));
  }

  embed(texts: string[], options: BatchOptions = {}): Promise<Float32Array[]> {
    return withJob(options, (id) => this.remote.embedder.cancel(id), (jobId, onProgress) => this.remote.embedder.embed(texts, { jobId }, onProgress));
  }
}

export interface TokenWorker {
  tokenizer: TokenizerClient;
  embedder: EmbedderClient;
  terminate(): void;
}

/** Starts the tokenizer worker; `worker` can be passed for tests or another bundler. */
export function startTokenWorker(
  worker: Worker = new Worker(new URL('../../../workers/tokenizer.worker.ts', import.meta.url), { type: 'module', name: 'tokenizer' }),
): TokenWorker {
  const remote = Comlink.wrap<TokenWorkerApi>(worker);
  return {
    tokenizer: new TokenizerClient(remote),
    embedder: new EmbedderClient(remote),
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
