/**
 * The model's tokenizer, built by transformers.js from the model's own files and run in the
 * tokenizer worker (workers/tokenizer.worker.ts); the same class works in-thread for tests.
 * Loaded tokenizers are kept by source, so switching back to a model costs nothing.
 */
import * as transformers from '@huggingface/transformers';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { truncateAtSentence } from '../../core/tokens/budget.ts';
import { TokenizerNotLoadedError, TokenizerUnavailableError } from '../../core/tokens/errors.ts';
import type { ChatMessage } from '../../ports/llm.ts';
import type { LoadTokenizerOptions, TokenizerInfo, TokenizerSource, Truncated } from '../../ports/tokenizer.ts';
import { Jobs, Loads, type JobOptions } from './jobs.ts';
import { configureOffline } from './offline.ts';
import { folderUrl, readTokenizerFiles, type TokenizerFiles } from './tokenizer-files.ts';

/** llama.cpp's fallback for a model without a chat template (LLM_CHAT_TEMPLATE_CHATML). */
export const CHATML_FALLBACK =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

interface Loaded {
  tokenizer: PreTrainedTokenizer;
  info: TokenizerInfo;
}

type TokenizerClass = new (json: unknown, config: unknown) => PreTrainedTokenizer;

/** The class AutoTokenizer would build: `tokenizer_class` without "Fast", else the base class. */
export function tokenizerClass(config: Record<string, unknown>): { name: string; cls: TokenizerClass } {
  const wanted = typeof config.tokenizer_class === 'string' ? config.tokenizer_class.replace(/Fast$/, '') : 'PreTrainedTokenizer';
  const exported = (transformers as unknown as Record<string, unknown>)[wanted];
  if (typeof exported === 'function' && (exported === PreTrainedTokenizer || exported.prototype instanceof PreTrainedTokenizer)) {
    return { name: wanted, cls: exported as TokenizerClass };
  }
  return { name: 'PreTrainedTokenizer', cls: PreTrainedTokenizer as unknown as TokenizerClass };
}

export class TokenizerService {
  #jobs: Jobs;
  #loaded = new Map<string, Loaded>();
  #current: Loaded | null = null;
  #loads = new Loads();

  constructor(jobs = new Jobs(), private timeoutMs = 30_000) {
    this.#jobs = jobs;
    configureOffline();
  }

  /** `onProgress` may come apart from `options`: comlink passes a callback only as a whole argument. */
  async load(source: TokenizerSource, options: LoadTokenizerOptions = {}, onProgress = options.onProgress): Promise<TokenizerInfo> {
    const key = source.kind === 'repo' ? folderUrl(source.url) : `files:${source.name}`;
    const known = this.#loaded.get(key);
    if (known) return (this.#current = known).info;
    const files = await this.#loads.run(options.signal, (signal) => readTokenizerFiles(source, { ...(onProgress ? { onProgress } : {}), signal }, this.timeoutMs));
    const loaded = build(files);
    this.#loaded.set(files.key, loaded);
    this.#loaded.set(key, loaded);
    this.#current = loaded;
    return loaded.info;
  }

  info(): TokenizerInfo | null {
    return this.#current?.info ?? null;
  }

  async count(texts: string[], job: JobOptions = {}, onProgress = job.onProgress): Promise<number[]> {
    const t = this.#tokenizer();
    return this.#jobs.map(texts, { ...job, onProgress }, (text) => t.encode(text, { add_special_tokens: false }).length);
  }

  countChat(messages: ChatMessage[]): number {
    return this.encodeChat(messages).length;
  }

  /** The ids of a whole chat prompt: the model's chat template (ChatML when it has none), generation prompt, `<s>` once. */
  encodeChat(messages: ChatMessage[]): number[] {
    const t = this.#tokenizer();
    const template = t.chat_template ? undefined : CHATML_FALLBACK;
    const rendered = t.apply_chat_template(messages.map((m) => ({ role: m.role, content: m.content })), {
      tokenize: false,
      add_generation_prompt: true,
      ...(template ? { chat_template: template } : {}),
    }) as string;
    // Engines tokenize the rendered prompt with special tokens on; a template that writes `<s>` itself gets no second one.
    const startsWithBos = !!t.bos_token && rendered.startsWith(t.bos_token);
    return t.encode(rendered, { add_special_tokens: !startsWithBos });
  }

  async truncate(texts: string[], maxTokens: number, job: JobOptions = {}, onProgress = job.onProgress): Promise<Truncated[]> {
    const t = this.#tokenizer();
    const count = (s: string) => t.encode(s, { add_special_tokens: false }).length;
    return this.#jobs.map(texts, { ...job, onProgress }, (text) => truncateAtSentence(text, maxTokens, count));
  }

  cancel(jobId: number): void {
    this.#jobs.cancel(jobId);
  }

  /** Stops a load in progress (the worker client's cancel). */
  abortLoad(): void {
    this.#loads.abort();
  }

  #tokenizer(): PreTrainedTokenizer {
    if (!this.#current) throw new TokenizerNotLoadedError();
    return this.#current.tokenizer;
  }
}

function build(files: TokenizerFiles): Loaded {
  const { name, cls } = tokenizerClass(files.config);
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = new cls(files.tokenizer, files.config);
  } catch (err) {
    throw new TokenizerUnavailableError(files.name, `transformers.js could not build a ${name} from these files: ${(err as Error).message}`, { cause: err });
  }
  const withSpecial = tokenizer.encode('a').length;
  const without = tokenizer.encode('a', { add_special_tokens: false }).length;
  return {
    tokenizer,
    info: {
      key: files.key,
      name: files.name,
      tokenizerClass: name,
      vocabSize: tokenizer.get_vocab().size,
      hasChatTemplate: !!tokenizer.chat_template,
      addsBos: withSpecial > without,
    },
  };
}
