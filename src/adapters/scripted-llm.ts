/**
 * A deterministic engine driven by a script: a function from the request to the reply text (or an
 * error, a delay, logprobs). It is a real `Llm` — the runner, the stages and the store cannot tell
 * it from web-llm — used where the model's words must be known in advance: tests of the stage
 * runner (crash and resume), benchmarks of the runner's own overhead, and demos without a GPU.
 *
 * Token counts are an approximation (one token per 4 characters, at least 1), NOT a tokenizer:
 * fine for progress arithmetic, wrong for budgets.
 */
import { AbortedError, HumpbackError } from '../core/errors.ts';
import type { CompleteOptions, FinishReason, Llm, LlmCapabilities, LlmReply, LlmRequest, LoadOptions, TokenLogprob } from '../ports/llm.ts';

export interface ScriptedTurn {
  text?: string;
  finishReason?: FinishReason;
  logprobs?: TokenLogprob[];
  /** Throw this instead of replying (an engine failure). */
  error?: { name: string; message: string; retryAfterMs?: number };
  /** Wait this long first (abortable), to simulate generation time. */
  delayMs?: number;
}

export type Script = (request: LlmRequest, call: number) => string | ScriptedTurn | Promise<string | ScriptedTurn>;

export const approxTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

const DEFAULT_CAPABILITIES: LlmCapabilities = {
  logprobs: true,
  maxTopLogprobs: 5,
  grammar: true,
  jsonSchema: false,
  seed: true,
  concurrency: 8,
  contextWindow: 8192,
};

function abortableDelay(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signals.some((s) => s?.aborted)) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      for (const s of signals) s?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    for (const s of signals) s?.addEventListener('abort', onAbort, { once: true });
  });
}

export class ScriptedLlm implements Llm {
  readonly engine = 'scripted' as const;
  /** Calls to `complete` so far (the script sees the index). */
  calls = 0;
  model = '';
  readonly #script: Script;
  readonly #capabilities: LlmCapabilities;
  #interrupt = new AbortController();

  constructor(script: Script, capabilities: Partial<LlmCapabilities> = {}) {
    this.#script = script;
    this.#capabilities = { ...DEFAULT_CAPABILITIES, ...capabilities };
  }

  async load(model: string, options?: LoadOptions): Promise<void> {
    if (options?.signal?.aborted) throw new AbortedError();
    options?.onProgress?.({ fraction: 1, text: `Scripted model "${model}" ready.` });
    this.model = model;
  }

  async complete(request: LlmRequest, options: CompleteOptions = {}): Promise<LlmReply> {
    const { signal } = options;
    if (signal?.aborted) throw new AbortedError();
    const call = this.calls++;
    // One controller shared by the calls in flight, replaced on interrupt(): cheaper than one per call.
    const interrupted = this.#interrupt.signal;
    const scripted = await this.#script(request, call);
    const turn: ScriptedTurn = typeof scripted === 'string' ? { text: scripted } : scripted;
    if (turn.delayMs !== undefined && turn.delayMs > 0) await abortableDelay(turn.delayMs, signal, interrupted);
    if (signal?.aborted || interrupted.aborted) throw new AbortedError();
    if (turn.error) {
      const err = new HumpbackError(turn.error.name, turn.error.message);
      if (turn.error.retryAfterMs !== undefined) Object.assign(err, { retryAfterMs: turn.error.retryAfterMs });
      throw err;
    }
    const text = turn.text ?? '';
    if (text !== '') options.onDelta?.(text);
    let prompt = 0;
    for (const m of request.messages) prompt += approxTokens(m.content);
    const reply: LlmReply = {
      text,
      finishReason: turn.finishReason ?? 'stop',
      usage: { promptTokens: prompt, completionTokens: text === '' ? 0 : approxTokens(text) },
      model: this.model,
    };
    if (turn.logprobs) reply.logprobs = turn.logprobs;
    return reply;
  }

  async interrupt(): Promise<void> {
    this.#interrupt.abort();
    this.#interrupt = new AbortController();
  }

  async unload(): Promise<void> {
    await this.interrupt();
    this.model = '';
  }

  async capabilities(): Promise<LlmCapabilities> {
    return { ...this.#capabilities };
  }
}
