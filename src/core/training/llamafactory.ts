/**
 * LLaMA-Factory reads datasets through a `dataset_info.json` entry that names the file and maps
 * its columns, and trains from a YAML of Hugging Face arguments (`llamafactory-cli train`). Both
 * are written here for the training bundle. Chat lines use the "sharegpt" formatting with
 * OpenAI role/content tags; instruction/output lines use the default alpaca formatting.
 * Responses only carry loss (LLaMA-Factory's default `train_on_prompt: false`).
 */
import { Document } from 'yaml';
import { schedulerFor, tidy } from './axolotl.ts';
import { gradientAccumulation, type TrainingConfig } from './config.ts';
import type { DatasetFormat } from './dataset.ts';

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

/** LLaMA-Factory's chat template for a base model, from its name; 'default' when unknown. */
export function templateFor(baseModel: string): string {
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
    finetuning_type: 'lora',
    lora_rank: c.lora.r,
    lora_alpha: c.lora.alpha,
    lora_dropout: c.lora.dropout,
    lora_target: c.lora.targetModules.join(','),
  };
  if (c.method === 'qlora') out.quantization_bit = 4;
  Object.assign(out, {
    dataset: files.datasetName,
    dataset_dir: files.datasetDir,
    template: templateFor(c.baseModel),
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
    bf16: true,
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
  if (note) {
    const node = doc.get('lr_scheduler_type', true);
    if (node && typeof node === 'object') (node as { comment?: string }).comment = ` ${note}`;
  }
  return doc.toString({ lineWidth: 0 });
}
