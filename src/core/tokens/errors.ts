/**
 * Environment failures of the tokenizer and embedding steps, with messages that say what to do.
 * They cross the worker as name + message (comlink), so callers switch on `err.name`.
 */
import { HumpbackError } from '../errors.ts';

export class TokenizerUnavailableError extends HumpbackError {
  constructor(source: string, detail: string, options?: { cause?: unknown }) {
    super(
      'TokenizerUnavailableError',
      `Could not load the tokenizer from ${source} (${detail}). ` +
        'Check the address (it must be the folder that holds tokenizer.json and tokenizer_config.json) and your connection, ' +
        'or drop those two files from the model\'s repository instead. Until then, lengths are estimated from characters.',
      options,
    );
  }
}

export class TokenizerNotLoadedError extends HumpbackError {
  constructor() {
    super('TokenizerNotLoadedError', 'No tokenizer is loaded yet. Choose a model (or drop its tokenizer files) before measuring tokens.');
  }
}

export class EmbeddingModelUnavailableError extends HumpbackError {
  constructor(model: string, host: string, detail: string, options?: { cause?: unknown }) {
    super(
      'EmbeddingModelUnavailableError',
      `Could not load the sentence-embedding model ${model} from ${host} (${detail}). ` +
        'Meaning-level duplicate removal needs it once; connect to the internet (or choose a host that serves this model) and try again, ' +
        'or skip this optional step — exact duplicates are removed either way.',
      options,
    );
  }
}

export class EmbedderNotLoadedError extends HumpbackError {
  constructor() {
    super('EmbedderNotLoadedError', 'No sentence-embedding model is loaded yet. Load one before looking for near-duplicates.');
  }
}
