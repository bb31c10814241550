/**
 * What a fine-tuning job needs to know, in one plain record every trainer adapter and the
 * bundle writers read. Defaults come from the paper where it gives them (METHOD.md: weight decay
 * 0.1, dropout 0.1, batch 32 — 8 under 3k examples — 500 steps for 3,200 examples, 1,600 for
 * 51,200, and for full fine-tuning lr 1e-5 decaying linearly to 9e-6), from the QLoRA recipe the
 * seed implementations follow for a LoRA learning rate (recipes.ts), and from common LoRA
 * practice for rank, alpha and target modules. The backward model gets the settings the seed
 * implementations used for it (r 64, α 16).
 *
 * `validateTrainingConfig` never throws: it lists what is wrong as issues the form can show.
 */
import type { Issue } from '../result.ts';
import { learningRateRecipe } from './recipes.ts';

/** Which model of the loop a job trains: p(x|y) on reversed seed pairs, or p(y|x) on seed + curated. */
export type TrainingPurpose = 'backward' | 'forward';
/** 'full' trains every weight (the paper's setting); the LoRA settings are then unused. */
export type TrainingMethod = 'lora' | 'qlora' | 'full';
export type LrScheduleKind = 'linear' | 'cosine' | 'constant';

export interface LoraSettings {
  r: number;
  alpha: number;
  dropout: number;
  targetModules: string[];
}

export interface LrSchedule {
  kind: LrScheduleKind;
  /** Where the schedule ends (ignored by 'constant'). 0 decays all the way down. */
  finalLearningRate: number;
  warmupSteps: number;
}

export type TrainingLength = { unit: 'steps'; steps: number } | { unit: 'epochs'; epochs: number };

export interface TrainingConfig {
  purpose: TrainingPurpose;
  /** Hugging Face id or the trainer's own model name. */
  baseModel: string;
  method: TrainingMethod;
  lora: LoraSettings;
  learningRate: number;
  schedule: LrSchedule;
  length: TrainingLength;
  /** Effective batch: microBatchSize × gradient accumulation. */
  batchSize: number;
  /** Examples per device step; must divide batchSize. */
  microBatchSize: number;
  maxSeqLength: number;
  weightDecay: number;
  seed: number;
  /**
   * The GPU trains in bfloat16 (Ampere and newer: A100, RTX 30xx/40xx, H100); otherwise float16
   * (T4, V100, RTX 20xx). Absent in configs saved before the setting existed: taken as true.
   */
  gpuSupportsBf16?: boolean;
}

/** bf16 unless the user said the GPU cannot. */
export const usesBf16 = (c: Pick<TrainingConfig, 'gpuSupportsBf16'>): boolean => c.gpuSupportsBf16 !== false;

/** The paper's data-size → steps figures: 3,200 → 500 and 51,200 → 1,600 (a power law through both). */
const PAPER_SCALING = { examples: 3200, steps: 500, exponent: Math.log(1600 / 500) / Math.log(51200 / 3200) };

/** Steps the paper's scaling gives for this many examples, rounded to 10 (at least 10). */
export function stepsForExamples(examples: number): number {
  if (!(examples > 0)) return 10;
  const raw = PAPER_SCALING.steps * (examples / PAPER_SCALING.examples) ** PAPER_SCALING.exponent;
  return Math.max(10, Math.round(raw / 10) * 10);
}

/** The paper uses batch 8 for sets under 3,000 examples, 32 otherwise. */
export function batchSizeForExamples(examples: number): number {
  return examples < 3000 ? 8 : 32;
}

export const DEFAULT_TARGET_MODULES = ['q_proj', 'v_proj'] as const;

export interface DefaultsInput {
  purpose: TrainingPurpose;
  /** Examples in the training file; drives batch size and steps. */
  examples: number;
  baseModel?: string;
  method?: TrainingMethod;
}

export function defaultTrainingConfig(input: DefaultsInput): TrainingConfig {
  const batchSize = batchSizeForExamples(input.examples);
  const method = input.method ?? 'lora';
  const steps = stepsForExamples(input.examples);
  const recipe = learningRateRecipe(method, input.baseModel ?? '', steps);
  return {
    purpose: input.purpose,
    baseModel: input.baseModel ?? '',
    method,
    lora: {
      r: input.purpose === 'backward' ? 64 : 16,
      alpha: 16,
      dropout: 0.1,
      targetModules: [...DEFAULT_TARGET_MODULES],
    },
    learningRate: recipe.learningRate,
    schedule: recipe.schedule,
    length: { unit: 'steps', steps },
    batchSize,
    microBatchSize: Math.min(4, batchSize),
    maxSeqLength: 2048,
    weightDecay: 0.1,
    seed: 42,
    gpuSupportsBf16: true,
  };
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
const finite = (n: number) => typeof n === 'number' && Number.isFinite(n);

/** Axolotl and LLaMA-Factory both declare lora_r and lora_alpha as int (schemas/peft.py, hparams/finetuning_args.py). */
function validateLora(l: LoraSettings, add: (code: string, at: string, message: string) => void): void {
  if (!positiveInt(l.r)) add('lora-r-invalid', 'lora.r', 'LoRA rank must be a whole number above 0 (8, 16, 32 or 64 are usual).');
  if (!positiveInt(l.alpha)) add('lora-alpha-invalid', 'lora.alpha', 'LoRA alpha must be a whole number above 0 (16 is usual).');
  if (!(finite(l.dropout) && l.dropout >= 0 && l.dropout < 1)) add('lora-dropout-invalid', 'lora.dropout', 'LoRA dropout must be at least 0 and below 1 (the paper uses 0.1).');
  const modules = l.targetModules.map((m) => m.trim());
  if (modules.length === 0 || modules.some((m) => m === '')) add('target-modules-invalid', 'lora.targetModules', 'List at least one target module, e.g. q_proj and v_proj, with no empty names.');
  else if (new Set(modules).size !== modules.length) add('target-modules-duplicate', 'lora.targetModules', 'A target module is listed twice; list each once.');
}

/** Everything wrong with a config, as issues with stable codes; empty when it is usable. */
export function validateTrainingConfig(c: TrainingConfig): Issue[] {
  const issues: Issue[] = [];
  const add = (code: string, at: string, message: string) => issues.push({ code, at, message });

  if (c.baseModel.trim() === '') add('base-model-missing', 'baseModel', 'Name the base model to fine-tune (a Hugging Face id or the trainer\'s model name).');
  if (c.method !== 'full') validateLora(c.lora, add);

  if (!(finite(c.learningRate) && c.learningRate >= 1e-6 && c.learningRate < 1)) add('learning-rate-invalid', 'learningRate', 'Learning rate must be at least 1e-6 and below 1 (the paper uses 1e-5 for full fine-tuning; LoRA recipes use 1e-4 to 2e-4).');
  const s = c.schedule;
  if (s.kind !== 'constant' && !(finite(s.finalLearningRate) && s.finalLearningRate >= 0 && s.finalLearningRate <= c.learningRate)) {
    add('final-learning-rate-invalid', 'schedule.finalLearningRate', 'The final learning rate must be between 0 and the starting learning rate.');
  }
  if (!(Number.isInteger(s.warmupSteps) && s.warmupSteps >= 0)) add('warmup-invalid', 'schedule.warmupSteps', 'Warm-up steps must be a whole number, 0 or more.');

  if (c.length.unit === 'steps') {
    if (!positiveInt(c.length.steps)) add('steps-invalid', 'length.steps', 'Training steps must be a whole number above 0.');
    else if (s.warmupSteps >= c.length.steps) add('warmup-too-long', 'schedule.warmupSteps', 'Warm-up must be shorter than the whole run.');
  } else if (!(finite(c.length.epochs) && c.length.epochs > 0 && c.length.epochs <= 100)) {
    add('epochs-invalid', 'length.epochs', 'Epochs must be above 0 and at most 100.');
  }

  if (!positiveInt(c.batchSize)) add('batch-size-invalid', 'batchSize', 'Batch size must be a whole number above 0.');
  if (!positiveInt(c.microBatchSize)) add('micro-batch-invalid', 'microBatchSize', 'Micro-batch size must be a whole number above 0.');
  else if (positiveInt(c.batchSize) && c.batchSize % c.microBatchSize !== 0) {
    add('batch-not-divisible', 'microBatchSize', `Batch size ${c.batchSize} must be a multiple of the micro-batch size ${c.microBatchSize}.`);
  }
  if (!(positiveInt(c.maxSeqLength) && c.maxSeqLength >= 128)) add('max-seq-length-invalid', 'maxSeqLength', 'Maximum sequence length must be a whole number of at least 128 tokens.');
  if (!(finite(c.weightDecay) && c.weightDecay >= 0 && c.weightDecay < 1)) add('weight-decay-invalid', 'weightDecay', 'Weight decay must be at least 0 and below 1 (the paper uses 0.1).');
  if (!(Number.isInteger(c.seed) && c.seed >= 0)) add('seed-invalid', 'seed', 'Seed must be a whole number, 0 or more.');
  return issues;
}

/** Gradient accumulation steps that turn micro-batches into the configured batch. */
export function gradientAccumulation(c: TrainingConfig): number {
  return Math.max(1, Math.round(c.batchSize / c.microBatchSize));
}
