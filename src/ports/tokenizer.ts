/**
 * The model's own tokenizer, as the rest of the app sees it: load one (from the model's repository
 * or from files the user dropped), then count and truncate texts in batches. Characters are the
 * wrong unit for a language model; every budget, ETA and percentile band asks this port instead.
 * The implementation runs in a worker (transformers.js), so every call is async and plain data.
 */
import type { ChatMessage } from './llm.ts';

export type TokenizerSource =
  /** A folder URL holding `tokenizer.json` and `tokenizer_config.json` (e.g. beside web-llm's MLC weights). */
  | { kind: 'repo'; url: string }
  /** The two files the user dropped. */
  | { kind: 'files'; tokenizer: Blob; config: Blob; name: string };

/** What the UI says about the tokenizer in use. */
export interface TokenizerInfo {
  /** Stable key: the folder URL, or `files:<name>`. */
  key: string;
  /** In the user's words: the repository or file name. */
  name: string;
  /** transformers.js class that was built, e.g. LlamaTokenizer. */
  tokenizerClass: string;
  vocabSize: number;
  /** The tokenizer carries a chat template (counts of whole prompts use it). */
  hasChatTemplate: boolean;
  /** Whether `count` of a whole prompt adds a beginning-of-text token. */
  addsBos: boolean;
}

export interface BatchProgress {
  done: number;
  total: number;
}

export interface BatchOptions {
  onProgress?: (p: BatchProgress) => void;
  signal?: AbortSignal;
}

export interface LoadTokenizerOptions {
  onProgress?: (p: { loadedBytes: number; file: string }) => void;
  signal?: AbortSignal;
}

/** One text cut to a token limit. */
export interface Truncated {
  /** The text kept (the whole text when it fits). */
  text: string;
  /** Tokens of the kept text. */
  tokens: number;
  /** Tokens of the original text. */
  originalTokens: number;
  /** 'fits': unchanged; 'sentence': cut at a sentence end; 'none-fits': not even the first sentence fits (text is ''). */
  cut: 'fits' | 'sentence' | 'none-fits';
}

export interface Tokenizer {
  load(source: TokenizerSource, options?: LoadTokenizerOptions): Promise<TokenizerInfo>;
  /** The loaded tokenizer, or null. */
  info(): Promise<TokenizerInfo | null>;
  /** Tokens of each text alone (no special tokens), in order. */
  count(texts: string[], options?: BatchOptions): Promise<number[]>;
  /** Tokens of a whole chat prompt as an engine builds it: chat template, generation prompt, special tokens. */
  countChat(messages: ChatMessage[]): Promise<number>;
  /** Each text cut at its last sentence end that keeps it within `maxTokens`. */
  truncate(texts: string[], maxTokens: number, options?: BatchOptions): Promise<Truncated[]>;
}
