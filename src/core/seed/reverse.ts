/**
 * The backward model's training set (METHOD.md step 1): seed pairs turned around so the model
 * reads a response and learns to write the instruction it answers, p(x | y). The response is
 * the input (user turn), the instruction the target (assistant turn, where the loss is). One
 * published notebook trained its "backward" model on responses only; the tests for this module
 * check the direction on real rows.
 *
 * The system prompt and user wrapper default to the fine-tuned augmentation template, so the
 * model is asked at augmentation time in exactly the words it was trained on. A user who edits
 * that template should export with the edited one.
 */
import type { ChatMessage } from '../../ports/llm.ts';
import { toJsonLine } from '../export/jsonl.ts';
import { DEFAULT_TEMPLATES, fillTemplate } from '../stages/prompts.ts';
import { renderChat, type ChatTemplateId } from './templates.ts';

/** What the backward model is told, and how the response is wrapped (`{{segment}}` = the response). */
export interface BackwardPrompt {
  system: string;
  user: string;
}

export const BACKWARD_PROMPT: Readonly<BackwardPrompt> = Object.freeze({
  system: DEFAULT_TEMPLATES['augment-finetuned'].system,
  user: DEFAULT_TEMPLATES['augment-finetuned'].user,
});

export interface ReversedPair {
  system: string;
  /** The model's input: the seed response (wrapped by the prompt's user text). */
  input: string;
  /** What the model learns to write: the seed instruction. */
  target: string;
}

export function reversePair(pair: { instruction: string; response: string }, prompt: BackwardPrompt = BACKWARD_PROMPT): ReversedPair {
  return { system: prompt.system, input: fillTemplate(prompt.user, { segment: pair.response }), target: pair.instruction };
}

/** system (if any) → user: the response → assistant: the instruction. */
export function reversedMessages(r: ReversedPair): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (r.system.trim() !== '') messages.push({ role: 'system', content: r.system });
  messages.push({ role: 'user', content: r.input }, { role: 'assistant', content: r.target });
  return messages;
}

/**
 * Export shapes: `messages` (OpenAI chat JSONL, trainers apply the model's own template and
 * train on the assistant turn), `text` ({"text"} in a template: the whole sequence), and
 * `prompt-completion` ({"prompt","completion"} in a template: loss on the completion only).
 */
export type ReversedExportFormat =
  | { shape: 'messages' }
  | { shape: 'text'; template: ChatTemplateId }
  | { shape: 'prompt-completion'; template: ChatTemplateId };

export function reversedRecord(r: ReversedPair, format: ReversedExportFormat): Record<string, unknown> {
  if (format.shape === 'messages') return { messages: reversedMessages(r) };
  const { prompt, completion } = renderChat(format.template, reversedMessages(r));
  return format.shape === 'text' ? { text: prompt + completion } : { prompt, completion };
}

export interface ReversedExport {
  /** JSON Lines, one reversed pair per line, ending with a newline (empty for no pairs). */
  text: string;
  lines: number;
  /** Lone surrogates replaced by U+FFFD (see export/jsonl.ts). */
  replaced: number;
}

export function exportReversedJsonl(
  pairs: Iterable<{ instruction: string; response: string }>,
  format: ReversedExportFormat,
  prompt: BackwardPrompt = BACKWARD_PROMPT,
): ReversedExport {
  const parts: string[] = [];
  let replaced = 0;
  for (const pair of pairs) {
    const line = toJsonLine(reversedRecord(reversePair(pair, prompt), format));
    parts.push(line.line, '\n');
    replaced += line.replaced;
  }
  return { text: parts.join(''), lines: parts.length / 2, replaced };
}
