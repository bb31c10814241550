/**
 * Environment failures of the model engines. Each message says what the user can do next; the UI
 * switches on `name` (these cross the web-llm worker as name + message only).
 */
import { HumpbackError } from '../errors.ts';

/** llama.cpp refused the GGUF file (wrong format, truncated, unsupported architecture). */
export class GgufRejectedError extends HumpbackError {
  constructor(source: string, detail: string, options?: { cause?: unknown }) {
    super(
      'GgufRejectedError',
      `llama.cpp could not load "${source}" as a model (${detail}). Check that the file is a complete GGUF ` +
        'model of an architecture llama.cpp supports (download it again if it may be truncated), or pick another file.',
      options,
    );
  }
}

/** The GGUF file could not be fetched. */
export class GgufDownloadError extends HumpbackError {
  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super(
      'GgufDownloadError',
      `Could not download the model file ${url} (${detail}). Check the address and your connection, ` +
        'or download the .gguf file yourself and drop it on the page.',
      options,
    );
  }
}

export class WebGpuUnavailableError extends HumpbackError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'WebGpuUnavailableError',
      `This browser gives the page no usable WebGPU device (${detail}). Use a recent Chrome or Edge with ` +
        'hardware acceleration on, or pick the llama.cpp (CPU) engine or an OpenAI-compatible endpoint instead.',
      options,
    );
  }
}

export class ModelDownloadError extends HumpbackError {
  constructor(model: string, detail: string, options?: { cause?: unknown }) {
    super(
      'ModelDownloadError',
      `Downloading the model "${model}" failed (${detail}). Check your connection (the files come from ` +
        'huggingface.co and raw.githubusercontent.com, or the custom URLs you gave) and load it again; ' +
        'files already downloaded are kept in the browser cache.',
      options,
    );
  }
}

export class GpuDeviceLostError extends HumpbackError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'GpuDeviceLostError',
      `The GPU device was lost (${detail}), usually because the model needed more GPU memory than was free or the ` +
        'driver restarted. Close other GPU-heavy tabs and resume the run (the model reloads), or pick a smaller model.',
      options,
    );
  }
}

export class ModelNotLoadedError extends HumpbackError {
  constructor(engine: string) {
    super('ModelNotLoadedError', `No model is loaded in the ${engine} engine. Load a model first, then start the run.`);
  }
}
