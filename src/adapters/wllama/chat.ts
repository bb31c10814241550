/**
 * Translation between the Llm port's requests/replies and wllama's OpenAI-shaped chat API
 * (llama.cpp's server code runs inside wllama, so the body is what llama-server accepts).
 */
import type {
  ChatCompletionChoiceLogprobs,
  ChatCompletionChunk,
  ChatCompletionParams,
  ChatCompletionResponse,
} from '@wllama/wllama/esm/index.js';
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

export function toFinishReason(reason: string | null | undefined): FinishReason {
  return reason === 'length' ? 'length' : 'stop';
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
    usage: { promptTokens: res.usage?.prompt_tokens ?? 0, completionTokens: res.usage?.completion_tokens ?? 0 },
    model,
  };
  if (topLogprobs !== undefined) reply.logprobs = toTokenLogprobs(choice?.logprobs, topLogprobs);
  return reply;
}

/** Folds streamed chunks into one reply, calling `onDelta` with each new piece of text. */
export class StreamedReply {
  text = '';
  finishReason: FinishReason = 'stop';
  usage = { promptTokens: 0, completionTokens: 0 };
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
    if (chunk.usage) {
      this.usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    }
  }

  reply(model: string, finishReason: FinishReason = this.finishReason): LlmReply {
    const reply: LlmReply = { text: this.text, finishReason, usage: { ...this.usage }, model };
    if (this.topLogprobs !== undefined) reply.logprobs = this.logprobs;
    return reply;
  }
}
