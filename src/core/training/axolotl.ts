/**
 * A ready-to-run Axolotl config for people who train by hand (the training bundle) or wrap
 * Axolotl behind our generic protocol. Loss is on the assistant turn only: for the backward
 * model that turn is the instruction (the export writes reversed pairs), which is exactly the
 * paper's p(x|y) with loss on the instruction tokens.
 *
 * Axolotl floors only its cosine schedule (`cosine_min_lr_ratio`), so the paper's linear decay
 * 1e-5 → 9e-6 is written as cosine to the same floor — over a 10 % range the two curves differ by
 * at most 0.5 % of the learning rate — and the file says so in a comment.
 *
 * Numbers are written as JavaScript prints them; learning rates ≥ 1e-6 print as plain decimals,
 * which both YAML 1.1 (PyYAML) and 1.2 read as floats (PyYAML reads "1e-5" as a string).
 *
 * Every key is checked against Axolotl's own schema (axolotl-ai-cloud/axolotl):
 * - src/axolotl/utils/schemas/config.py — base_model, chat_template, special_tokens, tokens,
 *   sequence_len, sample_packing, datasets/test_datasets, val_set_size, output_dir,
 *   micro_batch_size, gradient_accumulation_steps, max_steps/num_epochs, optimizer,
 *   learning_rate, lr_scheduler, cosine_min_lr_ratio, warmup_steps, weight_decay,
 *   bf16 ("auto" | bool), fp16, gradient_checkpointing, logging_steps, seed;
 * - src/axolotl/utils/schemas/peft.py — adapter, load_in_4bit/8bit, lora_r (int), lora_alpha
 *   (int), lora_dropout, lora_target_modules, lora_modules_to_save;
 * - src/axolotl/utils/schemas/datasets.py — path, ds_type, type, field_messages,
 *   message_property_mappings, roles_to_train, split;
 * - src/axolotl/utils/schemas/enums.py — ChatTemplate: chatml, tokenizer_default, …;
 * - src/axolotl/loaders/tokenizer.py — changing a special token under an adapter requires
 *   lora_modules_to_save [embed_tokens, lm_head] ("Please set lora_modules_to_save …").
 */
import { Document } from 'yaml';
import { gradientAccumulation, usesBf16, type TrainingConfig } from './config.ts';
import type { DatasetFormat } from './dataset.ts';
import { axolotlChatFormat, learningRateNote } from './recipes.ts';

export interface AxolotlFiles {
  /** Path of the training JSONL relative to where `axolotl train` runs. */
  trainPath: string;
  validationPath?: string;
  format: DatasetFormat;
  outputDir: string;
}

/** Rounds away float noise (0.9000000000000001) so the YAML shows what the user meant. */
export const tidy = (n: number) => Number(n.toPrecision(12));

export interface SchedulerChoice {
  name: string;
  minLrRatio: number | null;
  note: string | null;
}

/** How our schedule maps onto Hugging Face scheduler names (shared with the LLaMA-Factory writer). */
export function schedulerFor(c: TrainingConfig): SchedulerChoice {
  const s = c.schedule;
  const ratio = tidy(s.finalLearningRate / c.learningRate);
  if (s.kind === 'constant') return { name: s.warmupSteps > 0 ? 'constant_with_warmup' : 'constant', minLrRatio: null, note: null };
  if (s.finalLearningRate === 0) return { name: s.kind, minLrRatio: null, note: null };
  const note = s.kind === 'linear'
    ? `linear decay to ${s.finalLearningRate} asked; written as cosine to the same floor (the trainer floors only cosine)`
    : null;
  return { name: 'cosine', minLrRatio: ratio, note };
}

function datasetEntry(path: string, format: DatasetFormat): Record<string, unknown> {
  if (format === 'alpaca') return { path, ds_type: 'json', type: 'alpaca' };
  return {
    path,
    ds_type: 'json',
    type: 'chat_template',
    field_messages: 'messages',
    message_property_mappings: { role: 'role', content: 'content' },
    roles_to_train: ['assistant'],
  };
}

function adapterKeys(c: TrainingConfig): Record<string, unknown> {
  if (c.method === 'full') return { load_in_8bit: false, load_in_4bit: false };
  return {
    load_in_8bit: false,
    load_in_4bit: c.method === 'qlora',
    adapter: c.method,
    lora_r: c.lora.r,
    lora_alpha: c.lora.alpha,
    lora_dropout: c.lora.dropout,
    lora_target_modules: [...c.lora.targetModules],
  };
}

/** The chat template and the tokens it needs; nothing for alpaca lines (Axolotl's alpaca prompt has its own format). */
function chatKeys(c: TrainingConfig, format: DatasetFormat): Record<string, unknown> {
  if (format === 'alpaca') return {};
  const f = axolotlChatFormat(c.baseModel, c.method);
  const out: Record<string, unknown> = { chat_template: f.chatTemplate };
  if (f.specialTokens) out.special_tokens = { ...f.specialTokens };
  if (f.tokens) out.tokens = [...f.tokens];
  if (f.loraModulesToSave) out.lora_modules_to_save = [...f.loraModulesToSave];
  return out;
}

/** The config as a plain object, in the key order the YAML shows. */
export function axolotlConfig(c: TrainingConfig, files: AxolotlFiles): Record<string, unknown> {
  const sched = schedulerFor(c);
  const out: Record<string, unknown> = {
    base_model: c.baseModel,
    ...adapterKeys(c),
    ...chatKeys(c, files.format),
    sequence_len: c.maxSeqLength,
    sample_packing: false,
    pad_to_sequence_len: false,
    datasets: [datasetEntry(files.trainPath, files.format)],
  };
  if (files.validationPath) out.test_datasets = [{ ...datasetEntry(files.validationPath, files.format), split: 'train' }];
  else out.val_set_size = 0;
  Object.assign(out, {
    dataset_prepared_path: 'last_run_prepared',
    output_dir: files.outputDir,
    train_on_inputs: false,
    micro_batch_size: c.microBatchSize,
    gradient_accumulation_steps: gradientAccumulation(c),
  });
  if (c.length.unit === 'steps') out.max_steps = c.length.steps;
  else out.num_epochs = c.length.epochs;
  Object.assign(out, {
    optimizer: 'adamw_torch',
    learning_rate: tidy(c.learningRate),
    lr_scheduler: sched.name,
  });
  if (sched.minLrRatio !== null) out.cosine_min_lr_ratio = sched.minLrRatio;
  Object.assign(out, {
    warmup_steps: c.schedule.warmupSteps,
    weight_decay: c.weightDecay,
    // "auto" lets Axolotl use bf16 where the GPU has it; a GPU the user says lacks it gets fp16.
    ...(usesBf16(c) ? { bf16: 'auto' } : { bf16: false, fp16: true }),
    gradient_checkpointing: true,
    logging_steps: 10,
    seed: c.seed,
  });
  return out;
}

/** Puts ` text` as the end-of-line comment of a top-level key, if the key is there. */
export function commentKey(doc: Document, key: string, text: string): void {
  const node = doc.get(key, true);
  if (node && typeof node === 'object') (node as { comment?: string }).comment = ` ${text}`;
}

/** The YAML text, with a header saying what it trains and any schedule approximation. */
export function axolotlYaml(c: TrainingConfig, files: AxolotlFiles): string {
  const doc = new Document(axolotlConfig(c, files));
  const what = c.purpose === 'backward'
    ? 'Backward model M_yx: reversed seed pairs (the response is the prompt, the instruction is the target).'
    : 'Forward model: seed + curated pairs, tagged by source with a system prompt.';
  doc.commentBefore = ` Humpback Studio — Axolotl config. ${what}\n Run: axolotl train axolotl.yaml`;
  const note = schedulerFor(c).note;
  if (note) commentKey(doc, 'lr_scheduler', note);
  commentKey(doc, 'learning_rate', learningRateNote(c));
  if (files.format !== 'alpaca') commentKey(doc, 'chat_template', axolotlChatFormat(c.baseModel, c.method).why);
  return doc.toString({ lineWidth: 0 });
}
