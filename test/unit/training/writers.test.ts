import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { axolotlYaml, schedulerFor } from '../../../src/core/training/axolotl.ts';
import { defaultTrainingConfig, type TrainingConfig } from '../../../src/core/training/config.ts';
import { datasetInfo, datasetInfoEntry, llamaFactoryYaml } from '../../../src/core/training/llamafactory.ts';

const config = (patch: Partial<TrainingConfig> = {}): TrainingConfig => ({
  ...defaultTrainingConfig({ purpose: 'forward', examples: 3200, baseModel: 'meta-llama/Llama-3.1-8B' }),
  ...patch,
});

/** The paper's full-fine-tuning schedule, set by hand where a test is about schedules. */
const PAPER_SCHEDULE = { learningRate: 1e-5, schedule: { kind: 'linear' as const, finalLearningRate: 9e-6, warmupSteps: 0 } };

describe('Axolotl YAML', () => {
  it('parses back to exactly the configured values (base model: ChatML with its tokens)', () => {
    const text = axolotlYaml(config(PAPER_SCHEDULE), { trainPath: 'data/train.jsonl', format: 'messages', outputDir: 'outputs/fwd' });
    expect(parse(text)).toEqual({
      base_model: 'meta-llama/Llama-3.1-8B',
      load_in_8bit: false,
      load_in_4bit: false,
      adapter: 'lora',
      lora_r: 16,
      lora_alpha: 16,
      lora_dropout: 0.1,
      lora_target_modules: ['q_proj', 'v_proj'],
      // A base model has no chat template: Axolotl's tokenizer_default would stop on it (issue 15).
      chat_template: 'chatml',
      special_tokens: { eos_token: '<|im_end|>' },
      tokens: ['<|im_start|>'],
      lora_modules_to_save: ['embed_tokens', 'lm_head'],
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
    expect(text).toContain('lr_scheduler: cosine # linear decay to 0.000009 asked; written as cosine to the same floor');
    expect(text).toContain('learning_rate: 0.00001 # set by you\n');
    expect(text).toContain('chat_template: chatml # a base model has no chat template: ChatML, with <|im_end|> as end of turn\n');
    expect(text.startsWith('# Humpback Studio — Axolotl config. Forward model')).toBe(true);
  });
  it('a chat model keeps its own template; defaults write the QLoRA learning rate with its source', () => {
    const c = defaultTrainingConfig({ purpose: 'backward', examples: 3200, baseModel: 'meta-llama/Llama-3.1-8B-Instruct' });
    const text = axolotlYaml(c, { trainPath: 't.jsonl', format: 'messages', outputDir: 'o' });
    const y = parse(text) as Record<string, unknown>;
    expect([y.chat_template, y.special_tokens, y.tokens, y.lora_modules_to_save]).toEqual(['tokenizer_default', undefined, undefined, undefined]);
    expect([y.learning_rate, y.lr_scheduler, y.warmup_steps, y.cosine_min_lr_ratio, y.lora_r]).toEqual([0.0002, 'constant_with_warmup', 15, undefined, 64]);
    expect(text).toContain('learning_rate: 0.0002 # QLoRA recipe (Dettmers et al. 2023) for models up to 13B (8B parameters): constant, 3 % warm-up\n');
  });
  it('full fine-tuning has no adapter keys; no bf16 on the GPU writes fp16', () => {
    const c = config({ ...PAPER_SCHEDULE, method: 'full', gpuSupportsBf16: false });
    const y = parse(axolotlYaml(c, { trainPath: 't.jsonl', format: 'messages', outputDir: 'o' })) as Record<string, unknown>;
    expect(['adapter', 'lora_r', 'lora_alpha', 'lora_dropout', 'lora_target_modules', 'lora_modules_to_save'].filter((k) => k in y)).toEqual([]);
    expect([y.load_in_4bit, y.chat_template, y.learning_rate, y.lr_scheduler, y.bf16, y.fp16]).toEqual([false, 'chatml', 0.00001, 'cosine', false, true]);
  });
  it('writes QLoRA, epochs, alpaca data (no chat template) and a validation set', () => {
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
    expect(['chat_template', 'special_tokens', 'tokens', 'lora_modules_to_save'].filter((k) => k in y)).toEqual([]);
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
  it('writes a train config that parses back exactly (base model, QLoRA defaults)', () => {
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
      learning_rate: 0.0002,
      lr_scheduler_type: 'constant_with_warmup',
      max_steps: 500,
      warmup_steps: 15,
      weight_decay: 0.1,
      bf16: true,
      logging_steps: 10,
      plot_loss: true,
      seed: 42,
    });
    expect(text).toContain('learning_rate: 0.0002 # QLoRA recipe (Dettmers et al. 2023) for models up to 13B (8B parameters)');
    expect(text).toContain('bf16: true # the GPU supports bf16 (training settings)\n');
  });
  it('a chat model, a GPU without bf16, full fine-tuning with the paper\'s schedule', () => {
    const c = defaultTrainingConfig({ purpose: 'forward', examples: 3200, baseModel: 'mistralai/Mistral-7B-Instruct-v0.2', method: 'full' });
    const text = llamaFactoryYaml({ ...c, gpuSupportsBf16: false }, { datasetName: 'd', datasetDir: 'data', outputDir: 'o' });
    const y = parse(text) as Record<string, unknown>;
    expect([y.finetuning_type, y.template, y.learning_rate, y.lr_scheduler_type, y.lr_scheduler_kwargs, y.fp16, y.bf16])
      .toEqual(['full', 'mistral', 0.00001, 'cosine_with_min_lr', { min_lr_rate: 0.9 }, true, undefined]);
    expect(['lora_rank', 'lora_alpha', 'lora_dropout', 'lora_target', 'quantization_bit'].filter((k) => k in y)).toEqual([]);
    expect(text).toContain('learning_rate: 0.00001 # the paper (full fine-tuning): 1e-5 decaying linearly to 9e-6\n');
    expect(text).toContain('fp16: true # the GPU has no bf16 (training settings)\n');
  });
});
