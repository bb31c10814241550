/**
 * Chat conversations as the plain text the common open models were trained on, for trainers that
 * take text rather than `messages`. Each rendering is split into `prompt` (everything the model
 * reads) and `completion` (the final assistant turn it must learn to write, with its end token),
 * because the backward model's loss belongs on the instruction tokens only: a trainer given
 * prompt/completion pairs masks the prompt. `prompt + completion` is the full training text.
 *
 * Formats follow the model cards: Llama-2-chat `[INST]` with `<<SYS>>`, Llama-3 header tokens,
 * and ChatML (`<|im_start|>`, used by Qwen, SmolLM and many fine-tunes). The BOS text (`<s>`,
 * `<|begin_of_text|>`) is written out, as the published Llama datasets do; a trainer whose
 * tokenizer adds BOS itself should be told not to (or the leading token stripped).
 */
import type { ChatMessage } from '../../ports/llm.ts';

export const CHAT_TEMPLATES = ['llama2', 'llama3', 'chatml'] as const;
export type ChatTemplateId = (typeof CHAT_TEMPLATES)[number];

export const CHAT_TEMPLATE_LABELS: Record<ChatTemplateId, string> = {
  llama2: 'Llama 2 chat ([INST] … [/INST])',
  llama3: 'Llama 3 (<|start_header_id|> … <|eot_id|>)',
  chatml: 'ChatML (<|im_start|> … <|im_end|>)',
};

export interface RenderedChat {
  /** What the model reads, ending where the last assistant turn begins. */
  prompt: string;
  /** The last assistant turn and its end token: the part the loss is on. */
  completion: string;
}

interface Exchange {
  user: string;
  assistant: string;
}

/** Optional system message, then user/assistant alternating, ending with the assistant. */
function toExchanges(messages: readonly ChatMessage[]): { system: string | null; exchanges: Exchange[] } {
  const first = messages[0];
  const system = first?.role === 'system' ? first.content : null;
  const rest = system === null ? messages : messages.slice(1);
  if (rest.length === 0 || rest.length % 2 !== 0) {
    throw new RangeError('renderChat: expected user/assistant turns in pairs, ending with the assistant');
  }
  const exchanges: Exchange[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const u = rest[i];
    const a = rest[i + 1];
    if (u?.role !== 'user' || a?.role !== 'assistant') {
      throw new RangeError(`renderChat: turn ${i + 1} must be user and turn ${i + 2} assistant`);
    }
    exchanges.push({ user: u.content, assistant: a.content });
  }
  return { system, exchanges };
}

function llama2(system: string | null, exchanges: Exchange[]): RenderedChat {
  let prompt = '';
  exchanges.forEach((ex, i) => {
    const user = i === 0 && system !== null ? `<<SYS>>\n${system}\n<</SYS>>\n\n${ex.user}` : ex.user;
    prompt += `<s>[INST] ${user} [/INST]`;
    if (i < exchanges.length - 1) prompt += ` ${ex.assistant} </s>`;
  });
  return { prompt, completion: ` ${exchanges[exchanges.length - 1]?.assistant ?? ''} </s>` };
}

function llama3(system: string | null, exchanges: Exchange[]): RenderedChat {
  const turn = (role: string, content: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n${content}<|eot_id|>`;
  let prompt = '<|begin_of_text|>';
  if (system !== null) prompt += turn('system', system);
  exchanges.forEach((ex, i) => {
    prompt += turn('user', ex.user);
    if (i < exchanges.length - 1) prompt += turn('assistant', ex.assistant);
  });
  prompt += '<|start_header_id|>assistant<|end_header_id|>\n\n';
  return { prompt, completion: `${exchanges[exchanges.length - 1]?.assistant ?? ''}<|eot_id|>` };
}

function chatml(system: string | null, exchanges: Exchange[]): RenderedChat {
  const turn = (role: string, content: string) => `<|im_start|>${role}\n${content}<|im_end|>\n`;
  let prompt = system !== null ? turn('system', system) : '';
  exchanges.forEach((ex, i) => {
    prompt += turn('user', ex.user);
    if (i < exchanges.length - 1) prompt += turn('assistant', ex.assistant);
  });
  prompt += '<|im_start|>assistant\n';
  return { prompt, completion: `${exchanges[exchanges.length - 1]?.assistant ?? ''}<|im_end|>\n` };
}

const RENDERERS: Record<ChatTemplateId, (system: string | null, exchanges: Exchange[]) => RenderedChat> = { llama2, llama3, chatml };

/** A conversation ending with an assistant turn, as prompt + completion text in a template. */
export function renderChat(template: ChatTemplateId, messages: readonly ChatMessage[]): RenderedChat {
  const { system, exchanges } = toExchanges(messages);
  return RENDERERS[template](system, exchanges);
}
