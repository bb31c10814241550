/**
 * Translation between the Llm port's requests/replies and wllama's OpenAI-shaped chat API
 * (llama.cpp's server code runs inside wllama, so the body is what llama-server accepts).
 *
 * `cache_prompt: true` keeps llama.cpp's prompt cache on (it is llama-server's default; we do
 * not leave it to a default): the slot keeps the previous request's tokens in its KV cache and
 * the next request evaluates only what follows the longest common prefix. `timings.cache_n` /
 * `prompt_n` say how many prompt tokens were reused / evaluated; we report the reused ones as
 * `usage.cachedPromptTokens`.
 */
import type {
  ChatCompletionChoiceLogprobs,
  ChatCompletionChunk,
  ChatCompletionParams,
  ChatCompletionResponse,
  ResultTimings,
} from '@wllama/wllama/esm/index.js';
import { readFinishReason } from '../../core/endpoint-servers.ts';
import type { FinishReason, LlmReply, LlmRequest, TokenLogprob } from '../../ports/llm.ts';

/** llama-server reads `stop` from the chat body too; wllama's type just does not list it. */
export type WllamaChatBody = ChatCompletionParams & { stop?: string[]; stream_options?: { include_usage: boolean } };

export function toChatBody(request: LlmRequest): WllamaChatBody {
  const body: WllamaChatBody = { messages: request.messages.map((m) => ({ role: m.role, content: m.content })) };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.stop?.length) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  // Streamed replies carry usage only when asked (as in OpenAI's API).
  body.stream_options = { include_usage: true };
  body.cache_prompt = true;
  if (request.topLogprobs !== undefined) {
    body.logprobs = true;
    // llama.cpp returns no logprobs at all for top_logprobs 0: ask for one and trim (toTokenLogprobs).
    body.top_logprobs = Math.max(1, request.topLogprobs);
  }
  const c = request.constraint;
  if (c?.type === 'grammar') body.grammar = c.grammar;
  if (c?.type === 'json_schema') {
    body.response_format = { type: 'json_schema', json_schema: { name: 'reply', schema: c.schema, strict: true } };
  }
  return body;
}

export const toFinishReason = (reason: string | null | undefined): FinishReason => readFinishReason(reason);

function usageOf(u: { prompt_tokens: number; completion_tokens: number } | null | undefined, t: ResultTimings | undefined): LlmReply['usage'] {
  const usage: LlmReply['usage'] = { promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0 };
  if (t && typeof t.cache_n === 'number') usage.cachedPromptTokens = t.cache_n;
  return usage;
}

export function toTokenLogprobs(lp: ChatCompletionChoiceLogprobs | null | undefined, topN: number): TokenLogprob[] {
  return (lp?.content ?? []).map((t) => ({
    token: t.token,
    logprob: t.logprob,
    top: (t.top_logprobs ?? []).slice(0, topN).map((a) => ({ token: a.token, logprob: a.logprob })),
  }));
}

/** `topLogprobs` as asked in the request (undefined: no logprobs wanted). */
export function toReply(res: ChatCompletionResponse, model: string, topLogprobs: number | undefined): LlmReply {
  const choice = res.choices[0];
  const reply: LlmReply = {
    text: choice?.message.content ?? '',
    finishReason: toFinishReason(choice?.finish_reason),
    // llama.cpp sends `timings` with the whole reply too; wllama declares it on chunks only.
    usage: usageOf(res.usage, (res as ChatCompletionResponse & { timings?: ResultTimings }).timings),
    model,
  };
  if (topLogprobs !== undefined) reply.logprobs = toTokenLogprobs(choice?.logprobs, topLogprobs);
  return reply;
}

/** Folds streamed chunks into one reply, calling `onDelta` with each new piece of text. */
export class StreamedReply {
  text = '';
  finishReason: FinishReason = 'stop';
  usage: LlmReply['usage'] = { promptTokens: 0, completionTokens: 0 };
  timings: ResultTimings | undefined;
  logprobs: TokenLogprob[] = [];

  constructor(
    private topLogprobs: number | undefined,
    private onDelta?: (delta: string) => void,
  ) {}

  add(chunk: ChatCompletionChunk): void {
    const choice = chunk.choices[0];
    const delta = choice?.delta.content ?? '';
    if (delta) {
      this.text += delta;
      this.onDelta?.(delta);
    }
    if (choice?.logprobs) this.logprobs.push(...toTokenLogprobs(choice.logprobs, this.topLogprobs ?? 0));
    if (choice?.finish_reason) this.finishReason = toFinishReason(choice.finish_reason);
    if (chunk.timings) this.timings = chunk.timings;
    if (chunk.usage || chunk.timings) this.usage = usageOf(chunk.usage ?? { prompt_tokens: this.usage.promptTokens, completion_tokens: this.usage.completionTokens }, this.timings);
  }

  reply(model: string, finishReason: FinishReason = this.finishReason): LlmReply {
    const reply: LlmReply = { text: this.text, finishReason, usage: { ...this.usage }, model };
    if (this.topLogprobs !== undefined) reply.logprobs = this.logprobs;
    return reply;
  }
}
