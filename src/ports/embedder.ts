/**
 * Sentence embeddings for meaning-level near-duplicates and "most diverse N" sampling: a
 * feature-extraction model (MiniLM-class) turns each segment into a unit vector, so cosine
 * similarity is a dot product. The implementation runs in a worker (transformers.js + ONNX wasm).
 */
import type { BatchOptions } from './tokenizer.ts';

export interface EmbeddingModelSource {
  /** The host the user chose to download from, e.g. https://huggingface.co (nothing else is fetched). */
  host: string;
  /** Repository id on that host, e.g. Xenova/all-MiniLM-L6-v2. */
  model: string;
  /** Weights precision; 'q8' files are a quarter the size. */
  dtype?: 'fp32' | 'q8';
}

export interface EmbedderInfo {
  model: string;
  host: string;
  dimensions: number;
}

export interface Embedder {
  load(source: EmbeddingModelSource, options?: { signal?: AbortSignal; onProgress?: (p: { file: string; loadedBytes: number }) => void }): Promise<EmbedderInfo>;
  /** Mean-pooled, L2-normalised vectors, one per text, in order. */
  embed(texts: string[], options?: BatchOptions): Promise<Float32Array[]>;
}
