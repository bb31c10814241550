/**
 * "Try it": one prompt to the role's model, the reply streamed as it comes, then the token
 * usage — a quick check that the engine, model and settings work before a long run.
 */
import type { EngineRole } from '../../core/engines/choice.ts';
import type { FinishReason } from '../../ports/llm.ts';
import type { EngineState } from './engines.svelte.ts';

export const TRIAL_MAX_TOKENS = 48;

export class EngineTrial {
  prompt = $state('Write one question that this answer replies to: "Whales breathe air through a blowhole."');
  reply = $state('');
  usage = $state<{ promptTokens: number; completionTokens: number } | null>(null);
  finishReason = $state<FinishReason | null>(null);
  running = $state(false);
  readonly #engines: EngineState;
  readonly #role: EngineRole;
  #controller: AbortController | null = null;

  constructor(engines: EngineState, role: EngineRole) {
    this.#engines = engines;
    this.#role = role;
  }

  async send(): Promise<void> {
    if (this.running || this.prompt.trim() === '') return;
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.reply = '';
    this.usage = null;
    this.finishReason = null;
    try {
      const llm = await this.#engines.llm(this.#role, { signal: controller.signal });
      const result = await llm.complete(
        { messages: [{ role: 'user', content: this.prompt.trim() }], temperature: 0.7, topP: 0.9, maxTokens: TRIAL_MAX_TOKENS },
        { signal: controller.signal, onDelta: (d) => (this.reply += d) },
      );
      this.reply = result.text;
      this.usage = result.usage;
      this.finishReason = result.finishReason;
    } catch (err) {
      if (controller.signal.aborted) this.finishReason = 'abort';
      else {
        this.finishReason = 'error';
        this.#engines.ps.notices.error(err, `Trying ${this.#engines.describe(this.#role)}`);
      }
    } finally {
      this.running = false;
      this.#controller = null;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}
