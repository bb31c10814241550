/**
 * What the base model's name tells us, and the defaults that follow from it — each with where it
 * comes from, so the form and the trainer files can say so.
 *
 * Learning rate. The paper's 1e-5 → 9e-6 is for FULL fine-tuning (METHOD.md). A LoRA adapter at
 * that rate barely moves in 500 steps; every LoRA recipe among the seed implementations uses
 * 1e-4 – 2e-4, following QLoRA (Dettmers et al. 2023): 2e-4 for models up to 13B parameters,
 * 1e-4 for the 33B and 65B ones, a constant schedule and a 3 % warm-up.
 *
 * Chat format. Axolotl's `type: chat_template` without a `chat_template:` key uses the
 * tokenizer's own template, which base models (Llama-2-7b-hf, Mistral-7B-v0.1 — what the paper
 * fine-tunes) do not have, and Axolotl stops with "chat_template choice is tokenizer_default but
 * tokenizer's chat_template is null". A chat model keeps its own template; a base model gets
 * ChatML with <|im_end|> as its end-of-turn/EOS token.
 */
import type { LrSchedule, TrainingConfig, TrainingMethod } from './config.ts';

/** Parameters in billions from a model name ("Llama-2-7b-hf" → 7, "Mixtral-8x7B" → 56, "Qwen2.5-0.5B" → 0.5), or null. */
export function parametersOf(baseModel: string): number | null {
  const name = baseModel.split('/').pop() ?? baseModel;
  const moe = /(?:^|[^a-z0-9.])(\d+)x(\d+(?:\.\d+)?)b(?![a-z])/i.exec(name);
  if (moe) return Number(moe[1]) * Number(moe[2]);
  const dense = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z])/i.exec(name);
  return dense ? Number(dense[1]) : null;
}

/** Whether the name says it is an instruction/chat model, which ships its own chat template. */
export function isChatModel(baseModel: string): boolean {
  const name = (baseModel.split('/').pop() ?? baseModel).toLowerCase();
  return /(?:^|[-_.])(?:instruct|chat|it|sft|dpo|rlhf|hermes|assistant)(?:$|[-_.\d])/.test(name) || /gpt-|^o\d/.test(name);
}

export interface LearningRateRecipe {
  learningRate: number;
  schedule: LrSchedule;
  /** Where the numbers come from, in words the form shows. */
  source: string;
}

/** The QLoRA recipe's cut between its 2e-4 and 1e-4 models. */
const QLORA_SMALL_MAX_B = 13;
const QLORA_WARMUP_RATIO = 0.03;

/** The learning rate and schedule for this method and base model; `steps` sizes the warm-up. */
export function learningRateRecipe(method: TrainingMethod, baseModel: string, steps: number): LearningRateRecipe {
  if (method === 'full') {
    return { learningRate: 1e-5, schedule: { kind: 'linear', finalLearningRate: 9e-6, warmupSteps: 0 }, source: 'the paper (full fine-tuning): 1e-5 decaying linearly to 9e-6' };
  }
  const size = parametersOf(baseModel);
  const large = size !== null && size > QLORA_SMALL_MAX_B;
  const warmupSteps = Math.max(0, Math.round(steps * QLORA_WARMUP_RATIO));
  const sizeWords = size === null ? 'size not in the name, taken as up to 13B' : `${size}B parameters`;
  return {
    learningRate: large ? 1e-4 : 2e-4,
    schedule: { kind: 'constant', finalLearningRate: 0, warmupSteps },
    source: `QLoRA recipe (Dettmers et al. 2023) for ${large ? 'models above' : 'models up to'} 13B (${sizeWords}): constant, 3 % warm-up`,
  };
}

/** Where the config's learning rate comes from: the recipe's words when it still matches, else the user's. */
export function learningRateNote(c: TrainingConfig): string {
  const steps = c.length.unit === 'steps' ? c.length.steps : 0;
  const r = learningRateRecipe(c.method, c.baseModel, steps);
  const same = r.learningRate === c.learningRate && r.schedule.kind === c.schedule.kind &&
    (r.schedule.kind === 'constant' || r.schedule.finalLearningRate === c.schedule.finalLearningRate);
  return same ? r.source : 'set by you';
}

/**
 * After the method or base model changed: moves the learning rate to the new recipe when it still
 * was the old one (a rate the user typed stays).
 */
export function followRecipe(c: TrainingConfig, before: { method: TrainingMethod; baseModel: string }): void {
  if (learningRateNote({ ...c, ...before }) === 'set by you') return;
  const r = learningRateRecipe(c.method, c.baseModel, c.length.unit === 'steps' ? c.length.steps : 0);
  c.learningRate = r.learningRate;
  c.schedule = r.schedule;
}

export interface AxolotlChatFormat {
  /** A value of Axolotl's ChatTemplate enum (src/axolotl/utils/schemas/enums.py). */
  chatTemplate: 'tokenizer_default' | 'chatml';
  specialTokens?: Record<string, string>;
  tokens?: string[];
  /** New tokens need trainable embeddings under an adapter (src/axolotl/loaders/tokenizer.py refuses otherwise). */
  loraModulesToSave?: string[];
  why: string;
}

export function axolotlChatFormat(baseModel: string, method: TrainingMethod): AxolotlChatFormat {
  if (isChatModel(baseModel)) return { chatTemplate: 'tokenizer_default', why: "the chat model's own template (from its tokenizer_config.json)" };
  const out: AxolotlChatFormat = {
    chatTemplate: 'chatml',
    specialTokens: { eos_token: '<|im_end|>' },
    tokens: ['<|im_start|>'],
    why: 'a base model has no chat template: ChatML, with <|im_end|> as end of turn',
  };
  if (method !== 'full') out.loraModulesToSave = ['embed_tokens', 'lm_head'];
  return out;
}

/** LLaMA-Factory's template (src/llamafactory/data/template.py names) for a model family; 'default' when unknown. */
export function llamaFactoryTemplate(baseModel: string): string {
  const m = baseModel.toLowerCase();
  const known: [RegExp, string][] = [
    [/llama-?3/, 'llama3'],
    [/llama-?2/, 'llama2'],
    [/qwen3/, 'qwen3'],
    [/qwen/, 'qwen'],
    [/mistral|mixtral/, 'mistral'],
    [/gemma/, 'gemma'],
    [/phi-?3|phi-?4/, 'phi'],
  ];
  return known.find(([re]) => re.test(m))?.[1] ?? 'default';
}
