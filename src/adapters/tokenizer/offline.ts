/**
 * transformers.js, configured so it never reaches a network the user did not choose:
 * - the ONNX Runtime wasm comes from this package's own copy (Vite `?url`), not jsDelivr, which
 *   is transformers.js's default;
 * - remote model loading is off except while loading from the host the user chose, and every
 *   fetch the library makes goes through `hostOnlyFetch`, which refuses any other origin;
 * - a request that gets no answer gives up after `timeoutMs` instead of hanging the step.
 */
import { env, LogLevel } from '@huggingface/transformers';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

let configured = false;

export function configureOffline(): void {
  if (configured) return;
  configured = true;
  env.allowRemoteModels = false;
  env.allowLocalModels = false;
  env.logLevel = LogLevel.ERROR;
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    wasm.wasmPaths = { mjs: new URL(ortMjsUrl, self.location.href).href, wasm: new URL(ortWasmUrl, self.location.href).href };
    // One thread: a worker inside a worker would need cross-origin isolation everywhere, and the
    // tokenizer worker already keeps this work off the page's thread.
    wasm.numThreads = 1;
  }
}

export class RefusedHostError extends Error {
  constructor(url: string, allowed: string) {
    super(`refused to fetch ${url}: only ${allowed} (the host you chose) and this site are allowed`);
    this.name = 'RefusedHostError';
  }
}

/** A fetch that only reaches `allowedOrigin` or this site, stops on `signal`, and gives up without an answer after `timeoutMs`. */
export function hostOnlyFetch(allowedOrigin: string, signal?: AbortSignal, timeoutMs = 30_000): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
    if (url.origin !== allowedOrigin && url.origin !== self.location.origin) throw new RefusedHostError(url.href, allowedOrigin);
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : []), ...(init?.signal ? [init.signal] : [])];
    return fetch(url, { ...init, signal: AbortSignal.any(signals) });
  };
}

/** Plain words for a failed fetch: timeout, refused host, HTTP status, or the network error. */
export function fetchFailure(err: unknown): string {
  if (err instanceof DOMException && err.name === 'TimeoutError') return 'no answer from the host in time';
  if (err instanceof Error) return err.message;
  return String(err);
}
