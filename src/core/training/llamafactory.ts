/**
 * LLaMA-Factory reads datasets through a `dataset_info.json` entry that names the file and maps
 * its columns, and trains from a YAML of Hugging Face arguments (`llamafactory-cli train`). Both
 * are written here for the training bundle. Chat lines use the "sharegpt" formatting with
 * OpenAI role/content tags; instruction/output lines use the default alpaca formatting.
 * Responses only carry loss (LLaMA-Factory's default `train_on_prompt: false`).
 *
 * Keys checked against LLaMA-Factory's own argument classes (hiyouga/LLaMA-Factory):
 * - src/llamafactory/hparams/model_args.py — model_name_or_path, quantization_bit;
 * - src/llamafactory/hparams/data_args.py — template, dataset, dataset_dir, cutoff_len, eval_dataset;
 * - src/llamafactory/hparams/finetuning_args.py — stage, finetuning_type (lora | full), lora_rank
 *   (int), lora_alpha (int), lora_dropout, lora_target, plot_loss;
 * - src/llamafactory/hparams/training_args.py (Hugging Face Seq2SeqTrainingArguments) — bf16 and
 *   fp16 (transformers refuses bf16 on a GPU without it, so the "GPU supports bf16" setting picks),
 *   learning_rate, lr_scheduler_type, lr_scheduler_kwargs, max_steps/num_train_epochs, …;
 * - dataset_info.json columns and tags: data/README.md.
 */
import { Document } from 'yaml';
import { commentKey, schedulerFor, tidy } from './axolotl.ts';
import { gradientAccumulation, usesBf16, type TrainingConfig } from './config.ts';
import type { DatasetFormat } from './dataset.ts';
import { learningRateNote, llamaFactoryTemplate } from './recipes.ts';

export interface DatasetInfoEntry {
  file_name: string;
  formatting?: 'sharegpt';
  columns: Record<string, string>;
  tags?: Record<string, string>;
}

export function datasetInfoEntry(fileName: string, format: DatasetFormat): DatasetInfoEntry {
  if (format === 'alpaca') {
    return { file_name: fileName, columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system' } };
  }
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    columns: { messages: 'messages' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
  };
}

/** The whole dataset_info.json: entries by dataset name. */
export function datasetInfo(entries: Record<string, DatasetInfoEntry>): string {
  return JSON.stringify(entries, null, 2) + '\n';
}

export interface LlamaFactoryFiles {
  datasetName: string;
  validationDatasetName?: string;
  datasetDir: string;
  outputDir: string;
}

export function llamaFactoryConfig(c: TrainingConfig, files: LlamaFactoryFiles): Record<string, unknown> {
  const sched = schedulerFor(c);
  const out: Record<string, unknown> = {
    model_name_or_path: c.baseModel,
    stage: 'sft',
    do_train: true,
    finetuning_type: c.method === 'full' ? 'full' : 'lora',
  };
  if (c.method !== 'full') {
    Object.assign(out, { lora_rank: c.lora.r, lora_alpha: c.lora.alpha, lora_dropout: c.lora.dropout, lora_target: c.lora.targetModules.join(',') });
  }
  if (c.method === 'qlora') out.quantization_bit = 4;
  Object.assign(out, {
    dataset: files.datasetName,
    dataset_dir: files.datasetDir,
    template: llamaFactoryTemplate(c.baseModel),
    cutoff_len: c.maxSeqLength,
    output_dir: files.outputDir,
    per_device_train_batch_size: c.microBatchSize,
    gradient_accumulation_steps: gradientAccumulation(c),
    learning_rate: tidy(c.learningRate),
    lr_scheduler_type: sched.minLrRatio !== null ? 'cosine_with_min_lr' : sched.name,
  });
  if (sched.minLrRatio !== null) out.lr_scheduler_kwargs = { min_lr_rate: sched.minLrRatio };
  if (c.length.unit === 'steps') out.max_steps = c.length.steps;
  else out.num_train_epochs = c.length.epochs;
  Object.assign(out, {
    warmup_steps: c.schedule.warmupSteps,
    weight_decay: c.weightDecay,
    ...(usesBf16(c) ? { bf16: true } : { fp16: true }),
    logging_steps: 10,
    plot_loss: true,
    seed: c.seed,
  });
  if (files.validationDatasetName) Object.assign(out, { eval_dataset: files.validationDatasetName, eval_strategy: 'steps', eval_steps: 50 });
  return out;
}

export function llamaFactoryYaml(c: TrainingConfig, files: LlamaFactoryFiles): string {
  const doc = new Document(llamaFactoryConfig(c, files));
  doc.commentBefore = ` Humpback Studio — LLaMA-Factory config (${c.purpose} model).\n Run: llamafactory-cli train llamafactory.yaml\n Check "template" matches your base model's chat format.`;
  const note = schedulerFor(c).note;
  if (note) commentKey(doc, 'lr_scheduler_type', note);
  commentKey(doc, 'learning_rate', learningRateNote(c));
  commentKey(doc, usesBf16(c) ? 'bf16' : 'fp16', usesBf16(c) ? 'the GPU supports bf16 (training settings)' : 'the GPU has no bf16 (training settings)');
  return doc.toString({ lineWidth: 0 });
}
