/**
 * What each real server sends, for the test chat server to replay: the routes only it answers,
 * its model list, the request fields it honours or refuses, and the shape of its replies. Each
 * shape is taken from the server's own source, cited beside it:
 * - llama.cpp: ggml-org/llama.cpp tools/server/server-http.cpp (the "Loading model" 503 body every
 *   route gets while loading; `/health`, `/v1/models` public), tools/server/server-context.cpp
 *   (`/props`: default_generation_settings.n_ctx per slot, total_slots; `grammar` / `json_schema`
 *   top-level fields; `timings` with cache_n / prompt_n on every reply), `owned_by: "llamacpp"`.
 * - vLLM: vllm-project/vllm vllm/entrypoints/openai/chat_completion/protocol.py
 *   (`structured_outputs: StructuredOutputsParams` with `grammar`; `ChatCompletionLogProbs.content:
 *   list | None = None`, so a choice without tokens carries `{"content": null}`; `stop_reason`;
 *   finish reasons `abort` / `error` / `repetition`), vllm/entrypoints/openai/api_server.py
 *   (`GET /version` → {"version"}), models `owned_by: "vllm"` with `max_model_len`; max_logprobs 20.
 * - Ollama: ollama/ollama openai/openai.go (`ListCompletion{Object: "list", Data: []Model}` — a nil
 *   slice when nothing is pulled, so `"data": null`; `Choice` has no logprobs field; owned_by is
 *   the model's namespace, "library"), server/routes.go (`GET /api/version` → {"version"}).
 * - OpenAI: the API reference for chat completions (`max_completion_tokens`; reasoning models answer
 *   400 `unsupported_parameter` for `max_tokens`; top_logprobs 0–20; no grammar), models
 *   `owned_by: "system"` / "openai".
 */
import { PROBE_QUESTION } from '../../src/adapters/openai/capability-probe.ts';
import { FAST_GRAMMAR, REASONED_GRAMMAR } from '../../src/core/stages/grammar.ts';
import type { ChatBody } from './chat-replies.ts';

export type Flavor = 'generic' | 'vllm' | 'llamacpp' | 'ollama' | 'openai';

export interface FlavorAnswer {
  status: number;
  body: unknown;
}

export interface ServedModel {
  id: string;
  max_model_len?: number;
}

/** A llama.cpp server started with `-c 16384 -np 4`: 4,096 tokens per slot (server-context.cpp divides n_ctx by n_parallel). */
export const LLAMACPP_PROPS = { n_ctx: 4096, total_slots: 4, n_ctx_train: 131072 };

/** tools/server/server-http.cpp, middleware_server_state: the answer to every route while loading. */
export const LLAMACPP_LOADING: FlavorAnswer = { status: 503, body: { error: { message: 'Loading model', type: 'unavailable_error', code: 503 } } };

/** Routes only this server answers (path without query); undefined: not found here. */
export function flavorRoute(flavor: Flavor, path: string): FlavorAnswer | undefined {
  if (flavor === 'llamacpp') {
    if (path === '/health' || path === '/v1/health') return { status: 200, body: { status: 'ok' } };
    if (path === '/props') {
      return {
        status: 200,
        body: {
          default_generation_settings: { id: 0, n_ctx: LLAMACPP_PROPS.n_ctx, speculative: false, is_processing: false, params: { n_predict: -1, temperature: 0.8 } },
          total_slots: LLAMACPP_PROPS.total_slots,
          model_alias: 'qwen2.5-7b-instruct-q4_k_m.gguf',
          model_path: '/models/qwen2.5-7b-instruct-q4_k_m.gguf',
          modalities: { vision: false, audio: false },
          endpoint_slots: true,
          endpoint_props: false,
          endpoint_metrics: false,
          chat_template: '{%- for message in messages %}…',
          bos_token: '<|endoftext|>',
          eos_token: '<|im_end|>',
          build_info: 'b6500-2c1a9d3b',
        },
      };
    }
  }
  // vLLM answers /health with an empty 200, and /version with its version.
  if (flavor === 'vllm' && path === '/health') return { status: 200, body: '' };
  if (flavor === 'vllm' && path === '/version') return { status: 200, body: { version: '0.11.0' } };
  if (flavor === 'ollama' && path === '/api/version') return { status: 200, body: { version: '0.12.6' } };
  return undefined;
}

export function flavorModels(flavor: Flavor, models: readonly ServedModel[]): unknown {
  switch (flavor) {
    case 'llamacpp':
      return {
        object: 'list',
        data: models.map((m) => ({ id: m.id, object: 'model', created: 1760000000, owned_by: 'llamacpp', meta: { vocab_type: 2, n_vocab: 151936, n_ctx_train: LLAMACPP_PROPS.n_ctx_train, n_embd: 3584, n_params: 7615616512, size: 4677120000 } })),
      };
    case 'vllm':
      return {
        object: 'list',
        data: models.map((m) => ({ id: m.id, object: 'model', created: 1760000000, owned_by: 'vllm', root: m.id, parent: null, max_model_len: m.max_model_len ?? 32768, permission: [] })),
      };
    case 'ollama':
      return { object: 'list', data: models.length === 0 ? null : models.map((m) => ({ id: m.id, object: 'model', created: 1760000000, owned_by: 'library' })) };
    case 'openai':
      return { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created: 1727389042, owned_by: 'system' })) };
    default:
      return { object: 'list', data: models.map((m) => ({ object: 'model', created: 0, owned_by: 'chat-server', ...m })) };
  }
}

const isReasoningModel = (model: string | undefined): boolean => /^(o\d|gpt-5)/.test(model ?? '');

/** Requests the server refuses before generating. */
export function flavorReject(flavor: Flavor, body: ChatBody & Record<string, unknown>): FlavorAnswer | undefined {
  if (flavor === 'openai' && body.max_tokens !== undefined && isReasoningModel(body.model)) {
    return {
      status: 400,
      body: {
        error: {
          message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'unsupported_parameter',
        },
      },
    };
  }
  const top = body.top_logprobs ?? 0;
  if ((flavor === 'openai' || flavor === 'vllm') && top > 20) {
    return { status: 400, body: { error: { message: `Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but got ${top} instead.`, type: 'invalid_request_error', param: 'top_logprobs', code: 'integer_above_max_value' } } };
  }
  return undefined;
}

/** The grammar this server applies to the request, if it honours the field it came in. */
export function flavorGrammar(flavor: Flavor, body: Record<string, unknown>): string | undefined {
  if (flavor === 'llamacpp' && typeof body.grammar === 'string') return body.grammar;
  const so = body.structured_outputs as { grammar?: unknown } | undefined;
  if (flavor === 'vllm' && typeof so?.grammar === 'string') return so.grammar;
  return undefined; // Ollama, OpenAI and generic servers ignore both fields
}

/** A reply that obeys our rating grammars (what constrained decoding makes a model say). */
export function constrainedText(grammar: string): string | undefined {
  if (grammar === FAST_GRAMMAR) return '4';
  if (grammar === REASONED_GRAMMAR) return 'The answer covers the request directly and is well organised.\nScore: 4';
  return undefined;
}

/** The max_tokens the server applies (OpenAI and vLLM read max_completion_tokens too). */
export function flavorMaxTokens(flavor: Flavor, body: Record<string, unknown>): number | undefined {
  const mct = body.max_completion_tokens;
  if ((flavor === 'openai' || flavor === 'vllm') && typeof mct === 'number') return mct;
  return typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
}

/** Reshapes a built reply the way this server sends it (whole reply, and each streamed chunk). */
export function flavorShape(flavor: Flavor, reply: Record<string, unknown>, promptTokens: number, last: boolean): Record<string, unknown> {
  const choices = (reply.choices as Record<string, unknown>[] | undefined) ?? [];
  if (flavor === 'ollama') {
    // openai.go's Choice / ChunkChoice have no logprobs field; the fingerprint is fixed.
    return { ...reply, system_fingerprint: 'fp_ollama', choices: choices.map(({ logprobs: _drop, ...c }) => c) };
  }
  if (flavor === 'vllm') {
    return {
      ...reply,
      choices: choices.map((c) => ({ ...c, stop_reason: null, ...(last && c.finish_reason != null && c.logprobs === null ? { logprobs: { content: null } } : {}) })),
    };
  }
  if (flavor === 'llamacpp' && last) {
    // llama.cpp sends its timings with the final chunk and the whole reply; no prefix cache in this fake.
    return { ...reply, timings: { cache_n: 0, prompt_n: promptTokens, prompt_ms: 12.5, predicted_n: 1, predicted_ms: 4.2 } };
  }
  return reply;
}

/** A request the endpoint engine sends at load to check a lever (not one of the stages'). */
export function isCapabilityProbe(body: unknown): boolean {
  const messages = (body as { messages?: { content?: unknown }[] } | undefined)?.messages;
  return messages?.length === 1 && messages[0]?.content === PROBE_QUESTION;
}
