import { describe, expect, it } from 'vitest';
import { defaultTrainingConfig } from '../../../src/core/training/config.ts';
import {
  axolotlChatFormat, followRecipe, isChatModel, learningRateNote, learningRateRecipe, llamaFactoryTemplate, parametersOf,
} from '../../../src/core/training/recipes.ts';

describe('what a model name says', () => {
  it('reads the parameter count', () => {
    const names = ['meta-llama/Llama-2-7b-hf', 'meta-llama/Llama-2-13b-hf', 'meta-llama/Meta-Llama-3.1-70B-Instruct', 'Qwen/Qwen2.5-0.5B', 'mistralai/Mixtral-8x7B-v0.1', 'huggyllama/llama-65b', 'gpt-4o-mini-2024-07-18', 'microsoft/phi-2'];
    expect(names.map(parametersOf)).toEqual([7, 13, 70, 0.5, 56, 65, null, null]);
  });
  it('tells chat models from base models', () => {
    const chat = ['meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-2-7b-chat-hf', 'mistralai/Mistral-7B-Instruct-v0.2', 'google/gemma-2-9b-it', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'gpt-4o-mini-2024-07-18'];
    const base = ['meta-llama/Llama-2-7b-hf', 'mistralai/Mistral-7B-v0.1', 'meta-llama/Meta-Llama-3-8B', 'Qwen/Qwen2.5-7B', 'seeker/llama-7b-italian'];
    expect(chat.map(isChatModel)).toEqual(chat.map(() => true));
    expect(base.map(isChatModel)).toEqual(base.map(() => false));
  });
  it('keeps the LLaMA-Factory template names', () => {
    expect(['meta-llama/Llama-2-7b-hf', 'Qwen/Qwen2.5-7B', 'Qwen/Qwen3-8B', 'mistralai/Mistral-7B-v0.3', 'google/gemma-2-9b', 'microsoft/Phi-3-mini', 'tiiuae/falcon-7b'].map(llamaFactoryTemplate))
      .toEqual(['llama2', 'qwen', 'qwen3', 'mistral', 'gemma', 'phi', 'default']);
  });
});

describe('learning-rate recipes', () => {
  it('QLoRA: 2e-4 up to 13B, 1e-4 above, constant with a 3 % warm-up; each says where it comes from', () => {
    const small = learningRateRecipe('lora', 'meta-llama/Llama-2-13b-hf', 500);
    expect([small.learningRate, small.schedule]).toEqual([2e-4, { kind: 'constant', finalLearningRate: 0, warmupSteps: 15 }]);
    expect(small.source).toBe('QLoRA recipe (Dettmers et al. 2023) for models up to 13B (13B parameters): constant, 3 % warm-up');
    const large = learningRateRecipe('qlora', 'meta-llama/Meta-Llama-3.1-70B', 1600);
    expect([large.learningRate, large.schedule.warmupSteps]).toEqual([1e-4, 48]);
    expect(large.source).toContain('for models above 13B (70B parameters)');
    expect(learningRateRecipe('lora', 'my-org/house-model', 100).source).toContain('size not in the name, taken as up to 13B');
    expect(learningRateRecipe('lora', 'my-org/house-model', 100).learningRate).toBe(2e-4);
  });
  it('full fine-tuning keeps the paper', () => {
    expect(learningRateRecipe('full', 'meta-llama/Llama-2-70b-hf', 500)).toEqual({
      learningRate: 1e-5, schedule: { kind: 'linear', finalLearningRate: 9e-6, warmupSteps: 0 }, source: 'the paper (full fine-tuning): 1e-5 decaying linearly to 9e-6',
    });
  });
  it('labels a rate the user changed, and follows a new model or method only when the rate was the recipe', () => {
    const c = defaultTrainingConfig({ purpose: 'forward', examples: 3200, baseModel: 'meta-llama/Llama-2-7b-hf' });
    expect(learningRateNote(c)).toContain('QLoRA recipe');
    const before = { method: c.method, baseModel: c.baseModel };
    c.baseModel = 'meta-llama/Llama-2-70b-hf';
    followRecipe(c, before);
    expect(c.learningRate).toBe(1e-4);
    const before2 = { method: c.method, baseModel: c.baseModel };
    c.method = 'full';
    followRecipe(c, before2);
    expect([c.learningRate, c.schedule.kind]).toEqual([1e-5, 'linear']);
    c.learningRate = 3e-5;
    expect(learningRateNote(c)).toBe('set by you');
    const before3 = { method: c.method, baseModel: c.baseModel };
    c.method = 'lora';
    followRecipe(c, before3);
    expect(c.learningRate).toBe(3e-5);
  });
});

describe('Axolotl chat format', () => {
  it("a chat model keeps its own template; a base model gets ChatML and the tokens it needs", () => {
    expect(axolotlChatFormat('meta-llama/Llama-3.1-8B-Instruct', 'lora')).toEqual({ chatTemplate: 'tokenizer_default', why: "the chat model's own template (from its tokenizer_config.json)" });
    expect(axolotlChatFormat('meta-llama/Llama-2-7b-hf', 'qlora')).toEqual({
      chatTemplate: 'chatml',
      specialTokens: { eos_token: '<|im_end|>' },
      tokens: ['<|im_start|>'],
      loraModulesToSave: ['embed_tokens', 'lm_head'],
      why: 'a base model has no chat template: ChatML, with <|im_end|> as end of turn',
    });
    expect(axolotlChatFormat('mistralai/Mistral-7B-v0.1', 'full').loraModulesToSave).toBeUndefined();
  });
});
