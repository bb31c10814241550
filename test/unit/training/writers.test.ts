import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { axolotlYaml, schedulerFor } from '../../../src/core/training/axolotl.ts';
import { defaultTrainingConfig, type TrainingConfig } from '../../../src/core/training/config.ts';
import { datasetInfo, datasetInfoEntry, llamaFactoryYaml, templateFor } from '../../../src/core/training/llamafactory.ts';

const config = (patch: Partial<TrainingConfig> = {}): TrainingConfig => ({
  ...defaultTrainingConfig({ purpose: 'forward', examples: 3200, baseModel: 'meta-llama/Llama-3.1-8B' }),
  ...patch,
});

describe('Axolotl YAML', () => {
  it('parses back to exactly the configured values', () => {
    const text = axolotlYaml(config(), { trainPath: 'data/train.jsonl', format: 'messages', outputDir: 'outputs/fwd' });
    expect(parse(text)).toEqual({
      base_model: 'meta-llama/Llama-3.1-8B',
      load_in_8bit: false,
      load_in_4bit: false,
      adapter: 'lora',
      lora_r: 16,
      lora_alpha: 16,
      lora_dropout: 0.1,
      lora_target_modules: ['q_proj', 'v_proj'],
      sequence_len: 2048,
      sample_packing: false,
      pad_to_sequence_len: false,
      datasets: [{
        path: 'data/train.jsonl', ds_type: 'json', type: 'chat_template', field_messages: 'messages',
        message_property_mappings: { role: 'role', content: 'content' }, roles_to_train: ['assistant'],
      }],
      val_set_size: 0,
      dataset_prepared_path: 'last_run_prepared',
      output_dir: 'outputs/fwd',
      train_on_inputs: false,
      micro_batch_size: 4,
      gradient_accumulation_steps: 8,
      max_steps: 500,
      optimizer: 'adamw_torch',
      learning_rate: 1e-5,
      lr_scheduler: 'cosine',
      cosine_min_lr_ratio: 0.9,
      warmup_steps: 0,
      weight_decay: 0.1,
      bf16: 'auto',
      gradient_checkpointing: true,
      logging_steps: 10,
      seed: 42,
    });
    // PyYAML (YAML 1.1) reads "1e-5" as a string: the rate must be a plain decimal.
    expect(text).toContain('learning_rate: 0.00001\n');
    expect(text).toContain('lr_scheduler: cosine # linear decay to 0.000009 asked; written as cosine to the same floor');
    expect(text.startsWith('# Humpback Studio — Axolotl config. Forward model')).toBe(true);
  });
  it('writes QLoRA, epochs, alpaca data and a validation set', () => {
    const c = config({ method: 'qlora', length: { unit: 'epochs', epochs: 3 }, schedule: { kind: 'linear', finalLearningRate: 0, warmupSteps: 10 } });
    const y = parse(axolotlYaml(c, { trainPath: 't.jsonl', validationPath: 'v.jsonl', format: 'alpaca', outputDir: 'o' })) as Record<string, unknown>;
    expect(y.load_in_4bit).toBe(true);
    expect(y.adapter).toBe('qlora');
    expect(y.num_epochs).toBe(3);
    expect(y.max_steps).toBeUndefined();
    expect(y.lr_scheduler).toBe('linear');
    expect(y.cosine_min_lr_ratio).toBeUndefined();
    expect(y.warmup_steps).toBe(10);
    expect(y.datasets).toEqual([{ path: 't.jsonl', ds_type: 'json', type: 'alpaca' }]);
    expect(y.test_datasets).toEqual([{ path: 'v.jsonl', ds_type: 'json', type: 'alpaca', split: 'train' }]);
    expect(y.val_set_size).toBeUndefined();
  });
  it('maps schedules onto Hugging Face scheduler names', () => {
    expect(schedulerFor(config({ schedule: { kind: 'constant', finalLearningRate: 0, warmupSteps: 0 } }))).toEqual({ name: 'constant', minLrRatio: null, note: null });
    expect(schedulerFor(config({ schedule: { kind: 'constant', finalLearningRate: 0, warmupSteps: 5 } })).name).toBe('constant_with_warmup');
    expect(schedulerFor(config({ learningRate: 2e-4, schedule: { kind: 'cosine', finalLearningRate: 2e-5, warmupSteps: 0 } }))).toEqual({ name: 'cosine', minLrRatio: 0.1, note: null });
  });
});

describe('LLaMA-Factory', () => {
  it('writes dataset_info entries for chat and alpaca lines', () => {
    const text = datasetInfo({ humpback_fwd: datasetInfoEntry('train.jsonl', 'messages'), humpback_alp: datasetInfoEntry('a.jsonl', 'alpaca') });
    expect(JSON.parse(text)).toEqual({
      humpback_fwd: {
        file_name: 'train.jsonl',
        formatting: 'sharegpt',
        columns: { messages: 'messages' },
        tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
      },
      humpback_alp: { file_name: 'a.jsonl', columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system' } },
    });
  });
  it('writes a train config that parses back exactly', () => {
    const text = llamaFactoryYaml(config({ method: 'qlora' }), { datasetName: 'humpback_fwd', datasetDir: 'data', outputDir: 'saves/fwd' });
    expect(parse(text)).toEqual({
      model_name_or_path: 'meta-llama/Llama-3.1-8B',
      stage: 'sft',
      do_train: true,
      finetuning_type: 'lora',
      lora_rank: 16,
      lora_alpha: 16,
      lora_dropout: 0.1,
      lora_target: 'q_proj,v_proj',
      quantization_bit: 4,
      dataset: 'humpback_fwd',
      dataset_dir: 'data',
      template: 'llama3',
      cutoff_len: 2048,
      output_dir: 'saves/fwd',
      per_device_train_batch_size: 4,
      gradient_accumulation_steps: 8,
      learning_rate: 1e-5,
      lr_scheduler_type: 'cosine_with_min_lr',
      lr_scheduler_kwargs: { min_lr_rate: 0.9 },
      max_steps: 500,
      warmup_steps: 0,
      weight_decay: 0.1,
      bf16: true,
      logging_steps: 10,
      plot_loss: true,
      seed: 42,
    });
  });
  it('picks chat templates from model names', () => {
    expect(['meta-llama/Llama-2-7b-hf', 'Qwen/Qwen2.5-7B', 'Qwen/Qwen3-8B', 'mistralai/Mistral-7B-v0.3', 'google/gemma-2-9b', 'microsoft/Phi-3-mini', 'tiiuae/falcon-7b'].map(templateFor))
      .toEqual(['llama2', 'qwen', 'qwen3', 'mistral', 'gemma', 'phi', 'default']);
  });
});
