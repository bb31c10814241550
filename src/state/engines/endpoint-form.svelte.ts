/**
 * The OpenAI-compatible endpoint form of one role: base URL, API key ("remember on this device"
 * or memory only), the model list read from `/models`, the server type (detected when the models
 * are listed, or chosen by the user), concurrency and timeout. The key goes to
 * the secret store the moment the user lists models; the project only ever records the URL,
 * model, concurrency and timeout.
 */
import { OpenAiEndpoint, type EndpointModel, type ServerFacts } from '../../adapters/openai/client.ts';
import type { ServerKind } from '../../core/endpoint-servers.ts';
import { checkBaseUrl } from '../../adapters/openai/errors.ts';
import { DEFAULT_ENDPOINT_CONCURRENCY, DEFAULT_ENDPOINT_TIMEOUT_MS, type EngineRole } from '../../core/engines/choice.ts';
import { describeError } from '../../core/errors.ts';
import type { EngineState } from './engines.svelte.ts';

export class EndpointForm {
  baseUrl = $state('');
  apiKey = $state('');
  remember = $state(false);
  models = $state<EndpointModel[] | null>(null);
  model = $state('');
  concurrency = $state(DEFAULT_ENDPOINT_CONCURRENCY);
  timeoutSeconds = $state(DEFAULT_ENDPOINT_TIMEOUT_MS / 1000);
  /** 'auto' uses what detection found; anything else overrides it. */
  server = $state<ServerKind | 'auto'>('auto');
  /** What the last "List models" found out about the server (null before). */
  facts = $state.raw<ServerFacts | null>(null);
  listing = $state(false);
  /** The last failure (CORS, unreachable, 401…), shown next to the form as well as in the notices. */
  error = $state<{ name: string; message: string } | null>(null);
  readonly #engines: EngineState;
  readonly #role: EngineRole;

  constructor(engines: EngineState, role: EngineRole) {
    this.#engines = engines;
    this.#role = role;
    const c = engines.choice(role);
    if (c?.engine === 'openai') {
      this.baseUrl = c.baseUrl;
      this.model = c.model;
      this.concurrency = c.concurrency;
      this.timeoutSeconds = c.timeoutMs / 1000;
      this.server = c.server;
    }
  }

  /** Fills the key field from the secret store (after a reload, a remembered key). */
  async readKey(): Promise<void> {
    if (this.baseUrl.trim() === '') return;
    const base = this.baseUrl.trim();
    this.apiKey = (await this.#engines.endpointKey(base)) ?? '';
    this.remember = await this.#engines.endpointKeyRemembered(base);
  }

  /** Stores the key, then asks the endpoint for its models. */
  async list(): Promise<void> {
    this.listing = true;
    this.error = null;
    try {
      const baseUrl = checkBaseUrl(this.baseUrl);
      await this.#engines.setEndpointKey(baseUrl, this.apiKey, this.remember);
      const endpoint = new OpenAiEndpoint({ baseUrl, ...(this.apiKey.trim() ? { apiKey: this.apiKey.trim() } : {}) });
      const { models, facts } = await endpoint.inspect();
      this.models = models;
      this.facts = facts;
      if (!models.some((m) => m.id === this.model)) this.model = models[0]?.id ?? '';
    } catch (err) {
      this.models = null;
      this.facts = null;
      this.error = describeError(err);
      this.#engines.ps.notices.error(err, 'Reading the endpoint\'s models');
    } finally {
      this.listing = false;
    }
  }

  get canUse(): boolean {
    return this.model.trim() !== '' && this.baseUrl.trim() !== '' && this.concurrency >= 1 && this.timeoutSeconds >= 1;
  }

  /** Makes this endpoint and model the role's engine. */
  async use(): Promise<void> {
    try {
      const baseUrl = checkBaseUrl(this.baseUrl);
      await this.#engines.setEndpointKey(baseUrl, this.apiKey, this.remember);
      await this.#engines.setChoice(this.#role, {
        engine: 'openai',
        model: this.model.trim(),
        label: this.model.trim(),
        baseUrl,
        concurrency: Math.max(1, Math.floor(this.concurrency)),
        timeoutMs: Math.max(1, this.timeoutSeconds) * 1000,
        server: this.server,
      });
    } catch (err) {
      this.error = describeError(err);
      this.#engines.ps.notices.error(err, 'Choosing the endpoint');
    }
  }
}
