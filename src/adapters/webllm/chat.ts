/**
 * Translation between the Llm port and web-llm's OpenAI-shaped chat API (0.2.86): grammar and JSON
 * schema go through `response_format` (XGrammar), `top_logprobs` is capped at 5 by web-llm.
 * Type-only imports: this file never loads web-llm by itself.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequestBase,
} from '@mlc-ai/web-llm';
import type { FinishReason, LlmReply, LlmRequest, TokenLogprob } from '../../ports/llm.ts';

export const WEBLLM_MAX_TOP_LOGPROBS = 5;

export function toWebLlmBody(request: LlmRequest): ChatCompletionRequestBase {
  const body: ChatCompletionRequestBase = { messages: request.messages.map((m) => ({ role: m.role, content: m.content })) };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.stop?.length) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.topLogprobs !== undefined) {
    body.logprobs = true;
    body.top_logprobs = Math.min(WEBLLM_MAX_TOP_LOGPROBS, request.topLogprobs);
  }
  const c = request.constraint;
  if (c?.type === 'grammar') body.response_format = { type: 'grammar', grammar: c.grammar };
  if (c?.type === 'json_schema') body.response_format = { type: 'json_object', schema: JSON.stringify(c.schema) };
  return body;
}

export function toFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'abort') return 'abort';
  return 'stop';
}

type Logprobs = ChatCompletion.Choice['logprobs'];

export function toTokenLogprobs(lp: Logprobs | undefined): TokenLogprob[] {
  return (lp?.content ?? []).map((t) => ({
    token: t.token,
    logprob: t.logprob,
    top: t.top_logprobs.map((a) => ({ token: a.token, logprob: a.logprob })),
  }));
}

export function toReply(res: ChatCompletion, model: string, wantLogprobs: boolean): LlmReply {
  const choice = res.choices[0];
  const reply: LlmReply = {
    text: choice?.message.content ?? '',
    finishReason: toFinishReason(choice?.finish_reason),
    usage: { promptTokens: res.usage?.prompt_tokens ?? 0, completionTokens: res.usage?.completion_tokens ?? 0 },
    model,
  };
  if (wantLogprobs) reply.logprobs = toTokenLogprobs(choice?.logprobs);
  return reply;
}

/** Folds streamed chunks into one reply. */
export class StreamedReply {
  text = '';
  finishReason: FinishReason = 'stop';
  usage = { promptTokens: 0, completionTokens: 0 };
  logprobs: TokenLogprob[] = [];

  constructor(private onDelta?: (delta: string) => void) {}

  add(chunk: ChatCompletionChunk): void {
    const choice = chunk.choices[0];
    const delta = choice?.delta.content ?? '';
    if (delta) {
      this.text += delta;
      this.onDelta?.(delta);
    }
    if (choice?.logprobs) this.logprobs.push(...toTokenLogprobs(choice.logprobs));
    if (choice?.finish_reason) this.finishReason = toFinishReason(choice.finish_reason);
    if (chunk.usage) this.usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
  }

  reply(model: string, wantLogprobs: boolean): LlmReply {
    const reply: LlmReply = { text: this.text, finishReason: this.finishReason, usage: { ...this.usage }, model };
    if (wantLogprobs) reply.logprobs = this.logprobs;
    return reply;
  }
}
