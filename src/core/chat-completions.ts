/**
 * The OpenAI chat-completions wire format, both ways: our `LlmRequest` → a request body, and a
 * reply body (whole, or one streamed chunk) → our plain records. Servers differ (vLLM, llama.cpp
 * server, Ollama, hosted APIs), so reading is strict about what we need (text, finish reason)
 * and lenient about the rest; a reply we cannot read is an `Issue`, never a crash.
 */
import type { FinishReason, LlmReply, LlmRequest, TokenLogprob } from '../ports/llm.ts';
import { readFinishReason, serverProfile, type ServerProfile } from './endpoint-servers.ts';
import { HumpbackError } from './errors.ts';
import { fail, ok, type Issue, type Result } from './result.ts';

export interface BodyOptions {
  model: string;
  stream: boolean;
  /** How this server takes grammars, JSON schemas and the token limit (endpoint-servers.ts). */
  profile: ServerProfile;
  /** Ask for a final usage chunk in streams (`stream_options.include_usage`). */
  streamUsage: boolean;
}

/** Thrown for a request the endpoint cannot honour: a caller should have read the capabilities. */
export class UnsupportedRequestError extends HumpbackError {
  constructor(message: string) {
    super('UnsupportedRequestError', message);
  }
}

export function chatCompletionsBody(request: LlmRequest, o: BodyOptions): Record<string, unknown> {
  const p = o.profile;
  const body: Record<string, unknown> = { model: o.model, messages: request.messages, stream: o.stream };
  if (o.stream && o.streamUsage) body.stream_options = { include_usage: true };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body[p.maxTokensField] = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.topLogprobs !== undefined) {
    body.logprobs = true;
    if (request.topLogprobs > 0) body.top_logprobs = request.topLogprobs;
  }
  const c = request.constraint;
  if (c?.type === 'json_schema') {
    if (p.jsonSchemaField === 'json_schema') body.json_schema = c.schema;
    else body.response_format = { type: 'json_schema', json_schema: { name: 'reply', strict: true, schema: c.schema } };
  } else if (c?.type === 'grammar') {
    if (p.grammarField === null) {
      throw new UnsupportedRequestError(
        `This endpoint takes no grammar (${p.noGrammarReason ?? 'its server type has no grammar field'}). ` +
          'If the server is a llama.cpp server or vLLM, pick that server type in the engine panel and load the model again.',
      );
    }
    if (p.grammarField === 'grammar') body.grammar = c.grammar;
    else body.structured_outputs = { grammar: c.grammar };
  }
  return body;
}

/** The profile a caller gets when it names no server (tests, the model list). */
export const GENERIC_PROFILE: ServerProfile = serverProfile('generic');

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const malformed = (message: string): Result<never, Issue> => fail({ code: 'malformed-reply', message });

/** `choice.logprobs` in OpenAI shape → our records; undefined when absent. */
export function readLogprobs(v: unknown): Result<TokenLogprob[] | undefined> {
  if (v == null) return ok(undefined);
  // `content: null` is allowed by the spec and sent by vLLM when a choice has no tokens.
  if (isObj(v) && v.content === null) return ok(undefined);
  if (!isObj(v) || !Array.isArray(v.content)) return malformed('logprobs.content is not a list');
  const out: TokenLogprob[] = [];
  for (const t of v.content) {
    if (!isObj(t) || typeof t.token !== 'string' || typeof t.logprob !== 'number') return malformed('a logprobs entry lacks token or logprob');
    const top: TokenLogprob['top'] = [];
    for (const a of Array.isArray(t.top_logprobs) ? t.top_logprobs : []) {
      if (!isObj(a) || typeof a.token !== 'string' || typeof a.logprob !== 'number') return malformed('a top_logprobs entry lacks token or logprob');
      top.push({ token: a.token, logprob: a.logprob });
    }
    out.push({ token: t.token, logprob: t.logprob, top });
  }
  return ok(out);
}

function readUsage(v: unknown): LlmReply['usage'] | undefined {
  if (!isObj(v)) return undefined;
  const p = v.prompt_tokens;
  const c = v.completion_tokens;
  const usage: LlmReply['usage'] = { promptTokens: typeof p === 'number' ? p : 0, completionTokens: typeof c === 'number' ? c : 0 };
  // OpenAI and vLLM (--enable-prompt-tokens-details) say how much of the prompt came from their prefix cache.
  const cached = isObj(v.prompt_tokens_details) ? v.prompt_tokens_details.cached_tokens : undefined;
  if (typeof cached === 'number') usage.cachedPromptTokens = cached;
  return usage;
}

/** A whole (non-streamed) chat completion. */
export function readCompletion(body: unknown, requestedModel: string): Result<LlmReply> {
  if (!isObj(body)) return malformed('the reply is not a JSON object');
  if (!Array.isArray(body.choices) || body.choices.length === 0) return malformed('the reply has no choices');
  const choice: unknown = body.choices[0];
  if (!isObj(choice) || !isObj(choice.message)) return malformed('the first choice has no message');
  const content = choice.message.content;
  if (typeof content !== 'string' && content !== null) return malformed('the message content is not text');
  const logprobs = readLogprobs(choice.logprobs);
  if (!logprobs.ok) return logprobs;
  const usage = readUsage(body.usage);
  const reply: LlmReply = {
    text: content ?? '',
    finishReason: readFinishReason(choice.finish_reason),
    usage: usage ?? { promptTokens: 0, completionTokens: logprobs.value?.length ?? 0 },
    model: typeof body.model === 'string' ? body.model : requestedModel,
  };
  if (logprobs.value) reply.logprobs = logprobs.value;
  return ok(reply);
}

/** What one streamed chunk adds. */
export interface ChunkPiece {
  delta: string;
  finishReason?: FinishReason;
  logprobs?: TokenLogprob[];
  usage?: LlmReply['usage'];
  model?: string;
}

export function readChunk(body: unknown): Result<ChunkPiece> {
  if (!isObj(body)) return malformed('a streamed chunk is not a JSON object');
  if (isObj(body.error)) return malformed(`the server reported an error mid-stream: ${String(body.error.message ?? 'no message')}`);
  if (!Array.isArray(body.choices)) return malformed('a streamed chunk has no choices');
  const piece: ChunkPiece = { delta: '' };
  const usage = readUsage(body.usage);
  if (usage) piece.usage = usage;
  if (typeof body.model === 'string') piece.model = body.model;
  const choice: unknown = body.choices[0];
  if (choice === undefined) return ok(piece); // the usage-only chunk after the last token
  if (!isObj(choice)) return malformed('a streamed choice is not an object');
  if (isObj(choice.delta) && typeof choice.delta.content === 'string') piece.delta = choice.delta.content;
  if (choice.finish_reason != null) piece.finishReason = readFinishReason(choice.finish_reason);
  const logprobs = readLogprobs(choice.logprobs);
  if (!logprobs.ok) return logprobs;
  if (logprobs.value) piece.logprobs = logprobs.value;
  return ok(piece);
}

export interface EndpointModel {
  id: string;
  /**
   * Context window where the listing says (vLLM `max_model_len`; llama.cpp's `meta.n_ctx_train`
   * is the training context, replaced by `/props` n_ctx when the server answers it).
   */
  contextWindow?: number;
  /** `owned_by`, a hint at the server type ("vllm", "llamacpp", "openai", "system"). */
  ownedBy?: string;
}

/** A `/models` listing. Ollama sends `"data": null` when no model is pulled: an empty list. */
export function readModelList(body: unknown): Result<EndpointModel[]> {
  if (isObj(body) && body.data === null) return ok([]);
  if (!isObj(body) || !Array.isArray(body.data)) return malformed('the model list has no "data" array');
  const out: EndpointModel[] = [];
  for (const m of body.data) {
    if (!isObj(m) || typeof m.id !== 'string') return malformed('a model entry has no id');
    const model: EndpointModel = { id: m.id };
    if (typeof m.owned_by === 'string') model.ownedBy = m.owned_by;
    const ctx = typeof m.max_model_len === 'number' ? m.max_model_len : isObj(m.meta) && typeof m.meta.n_ctx_train === 'number' ? m.meta.n_ctx_train : undefined;
    if (ctx !== undefined) model.contextWindow = ctx;
    out.push(model);
  }
  return ok(out);
}
