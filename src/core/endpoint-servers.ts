/**
 * Which OpenAI-compatible server an endpoint is, and what that means for our requests. Every
 * server speaks "chat completions", but each switches the quality and speed levers differently,
 * read from their own source:
 * - llama.cpp server (tools/server): top-level `grammar` (GBNF) and `json_schema`; `/props` gives
 *   the context each slot runs with (`default_generation_settings.n_ctx`) and `total_slots`
 *   (requests beyond them wait in its queue); `/health` answers 503 "Loading model" until ready;
 *   logprobs up to 20 like OpenAI.
 * - vLLM (vllm/entrypoints/openai/chat_completion/protocol.py): `structured_outputs: {grammar}`
 *   (the old `guided_*` fields are gone); `/version`; `max_model_len` in `/v1/models`;
 *   `max_logprobs` defaults to 20; finish reasons include `abort`, `error` and `repetition`.
 * - Ollama (openai/openai.go): no grammar, no logprobs in its OpenAI layer; `/api/version`;
 *   `"data": null` when no model is pulled.
 * - OpenAI: no grammar (its `response_format` json_schema can only make the rating a JSON object,
 *   not our "Score: N" last line); `max_completion_tokens` (reasoning models refuse `max_tokens`);
 *   top_logprobs ≤ 20.
 * Detection reads what the probes answered; the user can override it.
 */
import type { FinishReason } from '../ports/llm.ts';

export type ServerKind = 'vllm' | 'llamacpp' | 'ollama' | 'openai' | 'generic';
export const SERVER_KINDS: readonly ServerKind[] = ['vllm', 'llamacpp', 'ollama', 'openai', 'generic'];

export const SERVER_TITLES: Record<ServerKind, string> = {
  vllm: 'vLLM',
  llamacpp: 'llama.cpp server',
  ollama: 'Ollama',
  openai: 'OpenAI',
  generic: 'generic OpenAI-compatible',
};

/** How a request carries a grammar to this server (null: it cannot). */
export type GrammarField = 'grammar' | 'structured_outputs' | null;

export interface ServerProfile {
  kind: ServerKind;
  grammarField: GrammarField;
  /** llama.cpp takes a JSON schema as a top-level field; the others as `response_format`. */
  jsonSchemaField: 'json_schema' | 'response_format' | null;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Most top_logprobs the server returns (0: no logprobs at all). */
  maxTopLogprobs: number;
  /** Why a lever is off, in the user's words (shown where the stage says which mode it runs in). */
  noGrammarReason?: string;
}

export function serverProfile(kind: ServerKind): ServerProfile {
  switch (kind) {
    case 'llamacpp':
      return { kind, grammarField: 'grammar', jsonSchemaField: 'json_schema', maxTokensField: 'max_tokens', maxTopLogprobs: 20 };
    case 'vllm':
      return { kind, grammarField: 'structured_outputs', jsonSchemaField: 'response_format', maxTokensField: 'max_tokens', maxTopLogprobs: 20 };
    case 'ollama':
      return {
        kind,
        grammarField: null,
        jsonSchemaField: 'response_format',
        maxTokensField: 'max_tokens',
        maxTopLogprobs: 0,
        noGrammarReason: 'Ollama\'s OpenAI-compatible API takes no grammar',
      };
    case 'openai':
      return {
        kind,
        grammarField: null,
        jsonSchemaField: 'response_format',
        maxTokensField: 'max_completion_tokens',
        maxTopLogprobs: 20,
        noGrammarReason: 'the OpenAI API takes no grammar',
      };
    default:
      return {
        kind: 'generic',
        grammarField: null,
        jsonSchemaField: 'response_format',
        maxTokensField: 'max_tokens',
        maxTopLogprobs: 20,
        noGrammarReason: 'the server type is unknown, so no grammar field is sent (pick the server type if you know it)',
      };
  }
}

/** What the probes saw: each field is the parsed JSON body of a 2xx answer, or undefined. */
export interface ServerEvidence {
  /** llama.cpp `/props`. */
  props?: unknown;
  /** vLLM `/version`: {"version": "0.x"}. */
  version?: unknown;
  /** Ollama `/api/version`: {"version": "0.x"}. */
  ollamaVersion?: unknown;
  /** `owned_by` of the listed models. */
  ownedBy: string[];
  baseUrl: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasVersion = (v: unknown): boolean => isObj(v) && typeof v.version === 'string';

export function detectServer(e: ServerEvidence): ServerKind {
  if (isObj(e.props) && ('total_slots' in e.props || 'default_generation_settings' in e.props)) return 'llamacpp';
  if (e.ownedBy.includes('llamacpp')) return 'llamacpp';
  if (hasVersion(e.ollamaVersion)) return 'ollama';
  if (e.ownedBy.includes('vllm') || hasVersion(e.version)) return 'vllm';
  let host = '';
  try {
    host = new URL(e.baseUrl).hostname;
  } catch {
    // checked elsewhere
  }
  if (host === 'api.openai.com' || e.ownedBy.some((o) => o === 'openai' || o === 'system' || o === 'openai-internal')) return 'openai';
  return 'generic';
}

export interface LlamaCppProps {
  /** The context each slot runs with (what a prompt must fit). */
  contextWindow?: number;
  slots?: number;
}

/** llama.cpp `/props` → the running context and the slot count. */
export function readProps(body: unknown): LlamaCppProps {
  const out: LlamaCppProps = {};
  if (!isObj(body)) return out;
  const settings = body.default_generation_settings;
  const nCtx = isObj(settings) ? settings.n_ctx : body.n_ctx;
  if (typeof nCtx === 'number' && nCtx > 0) out.contextWindow = nCtx;
  if (typeof body.total_slots === 'number' && body.total_slots >= 1) out.slots = Math.floor(body.total_slots);
  return out;
}

/**
 * A finish reason as servers send it → ours. vLLM's `abort` and `error` are not a clean stop;
 * its `repetition` (the model looped and was cut) is treated like a length limit: the reply
 * ended because of a limit, not because the model finished.
 */
export function readFinishReason(v: unknown): FinishReason {
  switch (v) {
    case 'length':
    case 'repetition':
      return 'length';
    case 'abort':
      return 'abort';
    case 'error':
    case 'content_filter':
      return 'error';
    default:
      return 'stop';
  }
}

/** What a server that is still loading its model says: llama.cpp's 503 body. */
export function isLoadingReply(status: number, body: unknown): boolean {
  if (status !== 503 || !isObj(body)) return false;
  const e = body.error;
  return isObj(e) && typeof e.message === 'string' && /loading model/i.test(e.message);
}
