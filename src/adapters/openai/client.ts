/**
 * The `Llm` port over an OpenAI-compatible HTTP endpoint (vLLM, llama.cpp server, Ollama,
 * hosted APIs): the engine for corpora too large for one GPU. Requests go through a bounded
 * limiter (default 8 in flight), each with an idle timeout and retries (see transport.ts).
 * `onDelta` switches a request to streaming. `interrupt()` ends every request in flight: each
 * resolves with the text it had so far and finish reason 'abort'; a caller's AbortSignal
 * instead rejects with AbortError.
 *
 * Loading finds out which server it is (server-probe.ts: vLLM, llama.cpp server, Ollama, OpenAI
 * or generic, unless the user chose one), waits while a llama.cpp server is still loading, reads
 * the context each slot runs with and the slot count, and (with `verify`) checks with one tiny
 * request each whether the grammar and logprobs really work (capability-probe.ts).
 *
 * The API key is sent as a Bearer header and nowhere else: error messages carry the endpoint's
 * origin and path only, and server-echoed text is scrubbed of the key.
 */
import { chatCompletionsBody, readModelList, type EndpointModel } from '../../core/chat-completions.ts';
import { serverProfile, type ServerKind, type ServerProfile } from '../../core/endpoint-servers.ts';
import { AbortedError, HumpbackError } from '../../core/errors.ts';
import { createLimiter, type Limiter } from '../../core/limiter.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../core/retry.ts';
import type { CompleteOptions, Llm, LlmCapabilities, LlmReply, LlmRequest, LoadOptions } from '../../ports/llm.ts';
import { probeLevers, type Levers } from './capability-probe.ts';
import { EndpointModelError, EndpointReplyError, checkBaseUrl, redactUrl } from './errors.ts';
import { nothingSoFar, readStream, readWhole } from './replies.ts';
import { probeServer, waitWhileLoading, type ProbeDeps, type ServerFacts } from './server-probe.ts';
import { Call, Stopped, defaultTransportDeps, exchange, type Exchange, type TransportDeps } from './transport.ts';

export type { EndpointModel, ServerFacts };

export interface EndpointSettings {
  /** e.g. http://127.0.0.1:8080/v1 — paths `/models` and `/chat/completions` are added. */
  baseUrl: string;
  apiKey?: string;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Idle timeout per attempt: no byte for this long fails the attempt (default 120 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The server type, chosen by the user; absent: detected at load. */
  server?: ServerKind;
  /** Check grammar and logprobs with a tiny request each at load (default false; the app turns it on). */
  verify?: boolean;
  /** Ask for token usage at the end of streams (`stream_options`). Default true. */
  streamUsage?: boolean;
  /** Context window when neither `/props` nor `/models` says. Default 4096. */
  contextWindow?: number;
  /** How often to ask `/health` while the server loads its model (default 1 s). */
  loadingPollMs?: number;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_MS = 120_000;

export class EndpointNotLoadedError extends HumpbackError {
  constructor() {
    super('EndpointNotLoadedError', 'No model is chosen for the endpoint yet. Pick a model from its list, then start again.');
  }
}

export class OpenAiEndpoint implements Llm {
  readonly engine = 'openai' as const;
  readonly #base: string;
  readonly #settings: EndpointSettings;
  readonly #policy: RetryPolicy;
  #limiter: Limiter;
  readonly #deps: TransportDeps;
  readonly #calls = new Set<Call>();
  /** The two URLs, and how they are shown in messages: fixed per engine, so worked out once. */
  readonly #modelsUrl: string;
  readonly #modelsEndpoint: string;
  readonly #chatUrl: string;
  readonly #chatEndpoint: string;
  #model: EndpointModel | undefined;
  #facts: ServerFacts | undefined;
  #profile: ServerProfile;
  #levers: Levers | undefined;

  constructor(settings: EndpointSettings, deps: Partial<TransportDeps> = {}) {
    this.#base = checkBaseUrl(settings.baseUrl);
    this.#settings = settings;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
    this.#limiter = createLimiter(settings.concurrency ?? DEFAULT_CONCURRENCY);
    this.#deps = { ...defaultTransportDeps(), ...deps };
    this.#modelsUrl = `${this.#base}/models`;
    this.#modelsEndpoint = redactUrl(this.#modelsUrl);
    this.#chatUrl = `${this.#base}/chat/completions`;
    this.#chatEndpoint = redactUrl(this.#chatUrl);
    this.#profile = serverProfile(settings.server ?? 'generic');
  }

  /** What detection found at the last load or inspect (undefined before). */
  get facts(): ServerFacts | undefined {
    return this.#facts;
  }

  /** The server type requests are shaped for: the user's choice, else the detected one. */
  get server(): ServerKind {
    return this.#profile.kind;
  }

  /** The endpoint as shown to the user (no key, no credentials). */
  get endpoint(): string {
    return redactUrl(this.#base);
  }

  get model(): string | undefined {
    return this.#model?.id;
  }

  async listModels(signal?: AbortSignal): Promise<EndpointModel[]> {
    const url = this.#modelsUrl;
    const body = await this.#run<unknown>(signal, {
      url,
      endpoint: this.#modelsEndpoint,
      init: { method: 'GET', headers: this.#headers(false) },
      read: async (res) => JSON.parse(await res.text()) as unknown,
      canRetry: () => true,
    }).catch((err: unknown) => {
      if (err instanceof Stopped) throw new AbortedError();
      if (err instanceof SyntaxError) throw new EndpointReplyError(this.#modelsEndpoint, `the model list is not JSON (${err.message})`, { cause: err });
      throw err;
    });
    const models = readModelList(body);
    if (!models.ok) throw new EndpointReplyError(this.#modelsEndpoint, models.issue.message);
    return models.value;
  }

  /** Waits while the server loads its model, lists the models and works out the server type. */
  async inspect(options: LoadOptions = {}): Promise<{ models: EndpointModel[]; facts: ServerFacts }> {
    const probe = this.#probeDeps();
    await waitWhileLoading(this.#base, probe, { ...options, ...(this.#settings.loadingPollMs ? { pollMs: this.#settings.loadingPollMs } : {}) });
    options.onProgress?.({ fraction: 0, text: `Asking ${this.endpoint} for its models…` });
    const listed = await this.listModels(options.signal);
    const facts = await probeServer(this.#base, listed, probe, options.signal);
    this.#facts = facts;
    this.#profile = serverProfile(this.#settings.server ?? facts.detected);
    // llama.cpp lists the training context (meta.n_ctx_train); prompts must fit the one it runs with.
    const running = facts.props.contextWindow;
    const models = running === undefined ? listed : listed.map((m) => ({ ...m, contextWindow: running }));
    return { models, facts };
  }

  async load(model: string, options: LoadOptions = {}): Promise<void> {
    const { models, facts } = await this.inspect(options);
    const found = models.find((m) => m.id === model);
    if (!found) throw new EndpointModelError(this.endpoint, model, models.map((m) => m.id));
    this.#model = found;
    // llama.cpp queues requests beyond its slots, and our idle timeout would count the wait.
    const wanted = this.#settings.concurrency ?? DEFAULT_CONCURRENCY;
    const limit = this.#profile.kind === 'llamacpp' && facts.props.slots !== undefined ? Math.min(wanted, facts.props.slots) : wanted;
    if (limit !== this.#limiter.limit) this.#limiter = createLimiter(limit);
    this.#levers = undefined;
    if (this.#settings.verify) {
      options.onProgress?.({ fraction: 0.5, text: `Checking what ${this.endpoint} supports (grammar, logprobs)…` });
      this.#levers = await probeLevers(this.#profile, (request) => this.complete(request, options.signal ? { signal: options.signal } : {}));
    }
    options.onProgress?.({ fraction: 1, text: `${this.endpoint} (${this.#profile.kind}) serves ${model}.` });
  }

  async complete(request: LlmRequest, options: CompleteOptions = {}): Promise<LlmReply> {
    const model = this.#model;
    if (!model) throw new EndpointNotLoadedError();
    const onDelta = options.onDelta;
    const body = chatCompletionsBody(request, {
      model: model.id,
      stream: onDelta !== undefined,
      profile: this.#profile,
      streamUsage: this.#settings.streamUsage ?? true,
    });
    const url = this.#chatUrl;
    const endpoint = this.#chatEndpoint;
    const soFar = nothingSoFar();
    try {
      return await this.#run<LlmReply>(options.signal, {
        url,
        endpoint,
        init: { method: 'POST', headers: this.#headers(true), body: JSON.stringify(body) },
        read: onDelta ? (res, attempt) => readStream(res, attempt, endpoint, model.id, onDelta, soFar) : (res) => readWhole(res, endpoint, model.id),
        canRetry: () => !soFar.shown,
      });
    } catch (err) {
      if (err instanceof Stopped && err.reason === 'interrupt') {
        const reply: LlmReply = { text: soFar.text, finishReason: 'abort', usage: { promptTokens: 0, completionTokens: soFar.logprobs.length }, model: model.id };
        if (soFar.logprobs.length > 0) reply.logprobs = soFar.logprobs;
        return reply;
      }
      throw err;
    }
  }

  async interrupt(): Promise<void> {
    for (const call of this.#calls) call.halt('interrupt');
  }

  async unload(): Promise<void> {
    await this.interrupt();
    this.#model = undefined;
  }

  async capabilities(): Promise<LlmCapabilities> {
    const p = this.#profile;
    const levers: Levers = this.#levers ?? {
      logprobs: p.maxTopLogprobs > 0,
      maxTopLogprobs: p.maxTopLogprobs,
      grammar: p.grammarField !== null,
      ...(p.noGrammarReason ? { limits: { grammar: p.noGrammarReason } } : {}),
    };
    return {
      ...levers,
      jsonSchema: p.jsonSchemaField !== null,
      seed: true,
      concurrency: this.#limiter.limit,
      contextWindow: this.#model?.contextWindow ?? this.#settings.contextWindow ?? 4096,
      server: p.kind,
    };
  }

  #probeDeps(): ProbeDeps {
    return { fetch: this.#deps.fetch, headers: this.#headers(false), timeoutMs: Math.min(10_000, this.#settings.timeoutMs ?? DEFAULT_TIMEOUT_MS) };
  }

  /** One exchange inside the limiter, stoppable by `signal` and by interrupt(). */
  async #run<T>(signal: AbortSignal | undefined, x: Omit<Exchange, 'timeoutMs' | 'policy' | 'apiKey'>): Promise<T> {
    const call = new Call(signal);
    this.#calls.add(call);
    try {
      return await this.#limiter(
        () => exchange<T>(call, { ...x, timeoutMs: this.#settings.timeoutMs ?? DEFAULT_TIMEOUT_MS, policy: this.#policy, apiKey: this.#settings.apiKey }, this.#deps),
        call,
      );
    } catch (err) {
      if (call.stop === 'interrupt') throw new Stopped('interrupt');
      if (call.stop === 'abort' || err instanceof Stopped) throw new AbortedError();
      throw err;
    } finally {
      this.#calls.delete(call);
      call.dispose();
    }
  }

  #headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: json ? 'application/json, text/event-stream' : 'application/json' };
    if (json) h['content-type'] = 'application/json';
    if (this.#settings.apiKey) h.authorization = `Bearer ${this.#settings.apiKey}`;
    return h;
  }
}
