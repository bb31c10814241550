import { describe, expect, it } from 'vitest';
import {
  batchSizeForExamples,
  defaultTrainingConfig,
  gradientAccumulation,
  stepsForExamples,
  validateTrainingConfig,
  type TrainingConfig,
} from '../../../src/core/training/config.ts';

const forward = (examples = 3200): TrainingConfig => defaultTrainingConfig({ purpose: 'forward', examples, baseModel: 'meta-llama/Llama-3.1-8B' });
const codes = (c: TrainingConfig) => validateTrainingConfig(c).map((i) => i.code);

describe('training defaults', () => {
  it('follow the paper (weight decay 0.1, dropout 0.1, batch 32 from 3k examples) and QLoRA for a LoRA learning rate', () => {
    const c = forward(3200);
    // Was the paper's full-fine-tuning 1e-5 → 9e-6, which barely moves a LoRA adapter in 500 steps (issue 15).
    expect(c.learningRate).toBe(2e-4);
    expect(c.schedule).toEqual({ kind: 'constant', finalLearningRate: 0, warmupSteps: 15 });
    expect(c.gpuSupportsBf16).toBe(true);
    expect(c.weightDecay).toBe(0.1);
    expect(c.lora).toEqual({ r: 16, alpha: 16, dropout: 0.1, targetModules: ['q_proj', 'v_proj'] });
    expect(c.batchSize).toBe(32);
    expect(c.microBatchSize).toBe(4);
    expect(gradientAccumulation(c)).toBe(8);
    expect(c.length).toEqual({ unit: 'steps', steps: 500 });
    expect(c.maxSeqLength).toBe(2048);
    expect(c.method).toBe('lora');
    expect(validateTrainingConfig(c)).toEqual([]);
  });
  it('uses batch 8 under 3,000 examples', () => {
    expect(batchSizeForExamples(2999)).toBe(8);
    expect(batchSizeForExamples(3000)).toBe(32);
    const small = forward(150);
    expect(small.batchSize).toBe(8);
    expect(gradientAccumulation(small)).toBe(2);
  });
  it('scales steps through the paper\'s two points', () => {
    expect(stepsForExamples(3200)).toBe(500);
    expect(stepsForExamples(51200)).toBe(1600);
    expect(stepsForExamples(12800)).toBe(890); // 500 · 4^0.4195 = 894 → 890
    expect(stepsForExamples(1)).toBe(20); // 500 · (1/3200)^0.4195 = 16.9 → 20
    expect(stepsForExamples(0)).toBe(10);
  });
  it('gives the backward model the seed implementations\' rank 64', () => {
    const b = defaultTrainingConfig({ purpose: 'backward', examples: 3200 });
    expect(b.lora.r).toBe(64);
    expect(b.lora.alpha).toBe(16);
    expect(b.baseModel).toBe('');
    expect(codes(b)).toEqual(['base-model-missing']);
  });
});

describe('validateTrainingConfig', () => {
  it('lists every problem with a stable code and a field', () => {
    const c = forward();
    const bad: TrainingConfig = {
      ...c,
      baseModel: '  ',
      lora: { r: 0, alpha: -1, dropout: 1, targetModules: [] },
      learningRate: 0,
      schedule: { kind: 'linear', finalLearningRate: 1, warmupSteps: -1 },
      length: { unit: 'steps', steps: 2.5 },
      batchSize: 30,
      microBatchSize: 4,
      maxSeqLength: 64,
      weightDecay: 1,
      seed: -3,
    };
    expect(codes(bad)).toEqual([
      'base-model-missing', 'lora-r-invalid', 'lora-alpha-invalid', 'lora-dropout-invalid', 'target-modules-invalid',
      'learning-rate-invalid', 'final-learning-rate-invalid', 'warmup-invalid', 'steps-invalid', 'batch-not-divisible',
      'max-seq-length-invalid', 'weight-decay-invalid', 'seed-invalid',
    ]);
    expect(validateTrainingConfig(bad)[9]).toEqual({
      code: 'batch-not-divisible', at: 'microBatchSize', message: 'Batch size 30 must be a multiple of the micro-batch size 4.',
    });
  });
  it('checks epochs, duplicate modules and warm-up length', () => {
    const c = forward();
    expect(codes({ ...c, length: { unit: 'epochs', epochs: 0 } })).toEqual(['epochs-invalid']);
    expect(codes({ ...c, length: { unit: 'epochs', epochs: 3 } })).toEqual([]);
    expect(codes({ ...c, lora: { ...c.lora, targetModules: ['q_proj', 'q_proj'] } })).toEqual(['target-modules-duplicate']);
    expect(codes({ ...c, schedule: { ...c.schedule, warmupSteps: 500 } })).toEqual(['warmup-too-long']);
    expect(codes({ ...c, schedule: { kind: 'constant', finalLearningRate: 5, warmupSteps: 0 } })).toEqual([]);
    expect(codes({ ...c, learningRate: 5e-7 })).toEqual(['learning-rate-invalid']);
    expect(codes({ ...c, learningRate: 5e-7, schedule: { kind: 'linear', finalLearningRate: 9e-6, warmupSteps: 0 } })).toEqual(['learning-rate-invalid', 'final-learning-rate-invalid']);
  });
  it('wants a whole LoRA alpha (Axolotl and LLaMA-Factory declare it int) and ignores LoRA settings for full fine-tuning', () => {
    const c = forward();
    expect(codes({ ...c, lora: { ...c.lora, alpha: 16.5 } })).toEqual(['lora-alpha-invalid']);
    expect(codes({ ...c, method: 'full', lora: { r: 0, alpha: 16.5, dropout: 2, targetModules: [] } })).toEqual([]);
  });
  it('full fine-tuning keeps the paper\'s 1e-5 → 9e-6 linear', () => {
    const f = defaultTrainingConfig({ purpose: 'forward', examples: 3200, baseModel: 'meta-llama/Llama-2-7b-hf', method: 'full' });
    expect([f.learningRate, f.schedule]).toEqual([1e-5, { kind: 'linear', finalLearningRate: 9e-6, warmupSteps: 0 }]);
  });
});
