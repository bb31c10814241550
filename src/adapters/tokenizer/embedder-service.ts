/**
 * Sentence embeddings with transformers.js's feature-extraction pipeline (a MiniLM-class ONNX
 * model on the wasm backend): mean pooling over tokens, then L2 normalisation, so cosine
 * similarity is a dot product (src/core/tokens/semantic.ts). Runs in the tokenizer worker.
 *
 * Remote loading is switched on only for the duration of a load, only for the host the user
 * chose, and every request goes through `hostOnlyFetch`; when the files cannot be had (offline,
 * a wrong name, a host that does not answer) the load ends with EmbeddingModelUnavailableError.
 */
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { AbortedError } from '../../core/errors.ts';
import { EmbedderNotLoadedError, EmbeddingModelUnavailableError } from '../../core/tokens/errors.ts';
import type { EmbedderInfo, EmbeddingModelSource } from '../../ports/embedder.ts';
import { Jobs, Loads, type JobOptions } from './jobs.ts';
import { configureOffline, fetchFailure, hostOnlyFetch } from './offline.ts';

/** Texts per model call: big enough to amortise the call, small enough to cancel promptly. */
const BATCH = 16;

export interface EmbedderLoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: { file: string; loadedBytes: number }) => void;
}

export class EmbedderService {
  #jobs: Jobs;
  #extractor: FeatureExtractionPipeline | null = null;
  #info: EmbedderInfo | null = null;
  #loads = new Loads();

  constructor(jobs = new Jobs(), private timeoutMs = 30_000) {
    this.#jobs = jobs;
    configureOffline();
  }

  /** `onProgress` may come apart from `options`: comlink passes a callback only as a whole argument. */
  async load(source: EmbeddingModelSource, options: EmbedderLoadOptions = {}, onProgress = options.onProgress): Promise<EmbedderInfo> {
    const host = new URL(source.host).origin;
    if (this.#info && this.#info.host === host && this.#info.model === source.model) return this.#info;
    const saved = { fetch: env.fetch, remoteHost: env.remoteHost, remotePathTemplate: env.remotePathTemplate };
    env.allowRemoteModels = true;
    env.remoteHost = `${host}/`;
    env.remotePathTemplate = '{model}/resolve/{revision}/';
    const signal = this.#loads.start(options.signal);
    env.fetch = hostOnlyFetch(host, signal, this.timeoutMs);
    try {
      const extractor = await pipeline('feature-extraction', source.model, {
        dtype: source.dtype ?? 'q8',
        device: 'wasm',
        progress_callback: (p) => {
          if (p.status === 'progress') onProgress?.({ file: p.file, loadedBytes: p.loaded });
        },
      });
      const probe = await extractor('a', { pooling: 'mean', normalize: true });
      this.#extractor = extractor;
      this.#info = { model: source.model, host, dimensions: probe.dims[probe.dims.length - 1] ?? 0 };
      return this.#info;
    } catch (err) {
      if (signal.aborted) throw new AbortedError('Loading the embedding model was cancelled.');
      throw new EmbeddingModelUnavailableError(source.model, host, fetchFailure(err), { cause: err });
    } finally {
      this.#loads.end();
      env.allowRemoteModels = false;
      env.fetch = saved.fetch;
      env.remoteHost = saved.remoteHost;
      env.remotePathTemplate = saved.remotePathTemplate;
    }
  }

  info(): EmbedderInfo | null {
    return this.#info;
  }

  /** Mean-pooled, normalised vectors, one per text. */
  async embed(texts: string[], job: JobOptions = {}, onProgress = job.onProgress): Promise<Float32Array[]> {
    const extractor = this.#extractor;
    if (!extractor) throw new EmbedderNotLoadedError();
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) batches.push(texts.slice(i, i + BATCH));
    let done = 0;
    const out = await this.#jobs.map(batches, { ...job, onProgress: undefined }, async (batch) => {
      const t = await extractor(batch, { pooling: 'mean', normalize: true });
      const dim = t.dims[1] ?? 0;
      const data = t.data as Float32Array;
      done += batch.length;
      onProgress?.({ done, total: texts.length });
      return batch.map((_, r) => data.slice(r * dim, (r + 1) * dim));
    });
    return out.flat();
  }

  cancel(jobId: number): void {
    this.#jobs.cancel(jobId);
  }

  /** Stops a load in progress (the worker client's cancel). */
  abortLoad(): void {
    this.#loads.abort();
  }
}
