/**
 * One port for every language-model engine (web-llm on WebGPU, an OpenAI-compatible endpoint,
 * llama.cpp in WebAssembly). Requests and replies are OpenAI-shaped plain data so they cross
 * workers unchanged. Stages read `capabilities` to pick their best mode (constrained decoding,
 * expected score from logprobs, concurrency).
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type Constraint =
  /** GBNF / EBNF grammar text (web-llm: XGrammar EBNF; llama.cpp: GBNF — both accept the subset we write). */
  | { type: 'grammar'; grammar: string }
  | { type: 'json_schema'; schema: Record<string, unknown> };

export interface LlmRequest {
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  /** Ask for per-token logprobs with this many alternatives (0 = chosen token only). */
  topLogprobs?: number;
  constraint?: Constraint;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'error';

export interface LlmReply {
  text: string;
  finishReason: FinishReason;
  /**
   * `cachedPromptTokens`: prompt tokens the engine took from its prefix cache instead of
   * evaluating (llama.cpp `timings.cache_n`, OpenAI `prompt_tokens_details.cached_tokens`), where it says.
   */
  usage: { promptTokens: number; completionTokens: number; cachedPromptTokens?: number };
  /** Per generated token, where the engine returned them. */
  logprobs?: TokenLogprob[];
  model: string;
}

export interface LlmCapabilities {
  logprobs: boolean;
  /** Most alternatives per token the engine returns (llama.cpp, vLLM, OpenAI: 20; web-llm: 5). */
  maxTopLogprobs: number;
  grammar: boolean;
  jsonSchema: boolean;
  seed: boolean;
  /** Requests worth keeping in flight at once. */
  concurrency: number;
  contextWindow: number;
  /**
   * Why a lever the stages would use is off, in the user's words ("the server ignored the grammar
   * in a test request"), so a stage can say which mode it fell back to. Absent: nothing is off.
   */
  limits?: { grammar?: string; logprobs?: string };
  /** The kind of server behind an endpoint engine (vLLM, llama.cpp server, ...), as detected or chosen. */
  server?: string;
}

export interface LoadProgress {
  /** 0..1 */
  fraction: number;
  loadedBytes?: number;
  totalBytes?: number;
  text: string;
}

export interface LoadOptions {
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
}

export interface CompleteOptions {
  signal?: AbortSignal;
  /** Streaming: called with each new piece of text. */
  onDelta?: (delta: string) => void;
}

export interface Llm {
  readonly engine: 'webllm' | 'openai' | 'wllama' | 'scripted';
  /** Loads (or connects to) a model; resolves when it can complete. */
  load(model: string, options?: LoadOptions): Promise<void>;
  complete(request: LlmRequest, options?: CompleteOptions): Promise<LlmReply>;
  /** Stops the generation in progress, if any. */
  interrupt(): Promise<void>;
  unload(): Promise<void>;
  capabilities(): Promise<LlmCapabilities>;
}
