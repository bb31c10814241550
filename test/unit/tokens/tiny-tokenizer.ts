/** The committed tiny tokenizer, built by transformers.js in node as the worker builds it in the browser. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LlamaTokenizer } from '@huggingface/transformers';
import { TINY_TOKENIZER_DIR } from '../../fixtures/make-tiny-tokenizer.ts';

export function loadTinyTokenizer(): LlamaTokenizer {
  const read = (name: string) => JSON.parse(readFileSync(resolve(TINY_TOKENIZER_DIR, name), 'utf8')) as unknown;
  return new LlamaTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
}

/** Tokens of a text alone, as the worker counts it (no `<s>`). */
export const countWith = (t: LlamaTokenizer) => (s: string) => t.encode(s, { add_special_tokens: false }).length;
