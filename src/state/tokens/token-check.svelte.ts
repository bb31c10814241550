/**
 * "Does our count match the engine's?": one prompt counted with the project's tokenizer (chat
 * template included) and sent to the role's engine for one token, so the panel can show both
 * numbers side by side. Budgets are only as good as this agreement; a gap means the tokenizer is
 * not the model's (or the engine wraps prompts differently) and the user should load the right one.
 */
import type { EngineRole } from '../../core/engines/choice.ts';
import type { ChatMessage } from '../../ports/llm.ts';
import type { EngineState } from '../engines/engines.svelte.ts';
import type { TokenState } from './tokens.svelte.ts';

export class TokenCheck {
  prompt = $state('Write one question that this answer replies to: "Whales breathe air through a blowhole."');
  counted = $state<number | null>(null);
  reported = $state<number | null>(null);
  running = $state(false);
  readonly #tokens: TokenState;
  readonly #engines: EngineState;
  readonly #role: EngineRole;

  constructor(tokens: TokenState, engines: EngineState, role: EngineRole) {
    this.#tokens = tokens;
    this.#engines = engines;
    this.#role = role;
  }

  async run(): Promise<void> {
    const tokenizer = this.#tokens.tokenizer();
    if (!tokenizer || this.running) return;
    this.running = true;
    this.counted = null;
    this.reported = null;
    const messages: ChatMessage[] = [{ role: 'user', content: this.prompt }];
    try {
      this.counted = await tokenizer.countChat(messages);
      const llm = await this.#engines.llm(this.#role);
      const reply = await llm.complete({ messages, temperature: 0, topP: 1, maxTokens: 1 });
      this.reported = reply.usage.promptTokens;
    } catch (err) {
      this.#tokens.ps.notices.error(err, 'Comparing the token count with the engine');
    } finally {
      this.running = false;
    }
  }
}
