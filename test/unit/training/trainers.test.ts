/** Trainer profiles (never a key in them) and the words a job card shows. */
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/ports/trainer.ts';
import { defaultTrainingConfig } from '../../../src/core/training/config.ts';
import { newTrainingJob } from '../../../src/core/training/job.ts';
import { engineWords, latestMetrics, stepWords, trainerErrorTitle, trainerSettingsOf, validateTrainerDraft } from '../../../src/core/training/trainers.ts';

describe('trainer profiles', () => {
  it('lists what is wrong with a draft', () => {
    expect(validateTrainerDraft({ kind: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1' })).toEqual([]);
    expect(validateTrainerDraft({ kind: 'generic', label: ' ', baseUrl: 'gpu-box:8000' }).map((i) => i.code)).toEqual(['label-missing', 'url-invalid']);
    expect(validateTrainerDraft({ kind: 'generic', label: 'Box', baseUrl: 'ftp://box/api' }).map((i) => i.code)).toEqual(['url-invalid']);
    expect(validateTrainerDraft({ kind: 'generic', label: 'Box', baseUrl: 'http://user:sk-secret@box/api' }).map((i) => i.code)).toEqual(['url-has-credentials']);
  });
  it('makes settings that point at the key by id, and keeps ids when editing', () => {
    const s = trainerSettingsOf({ kind: 'openai', label: ' OpenAI ', baseUrl: 'https://api.openai.com/v1/ ' });
    expect(s).toEqual({
      id: s.id, kind: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', secretId: `trainer:${s.id}`,
      learningRateMultiplier: null,
    });
    expect(s.id).toMatch(/^tr_/);
    const edited = trainerSettingsOf({ kind: 'generic', label: 'Box', baseUrl: 'http://box:8000/api' }, s);
    expect(edited).toEqual({ id: s.id, kind: 'generic', label: 'Box', baseUrl: 'http://box:8000/api', secretId: s.secretId });
  });
});

describe('job words', () => {
  const job = newTrainingJob({
    trainerId: 't', trainerKind: 'generic', config: defaultTrainingConfig({ purpose: 'forward', examples: 10, baseModel: 'm' }),
    dataset: { examples: 10, bytes: 100, validationExamples: null }, suffix: 'f',
    snapshot: { remoteId: 'job-1', status: 'queued', progress: null, resultModel: null, resultEndpoint: null, failure: null, remoteFiles: [] },
  }, 1);
  it('says how far a job got', () => {
    expect(stepWords(job)).toBe('');
    expect(stepWords({ progress: { step: 0, totalSteps: null } })).toBe('');
    expect(stepWords({ progress: { step: 7, totalSteps: null } })).toBe('Step 7');
    expect(stepWords({ progress: { step: 2, totalSteps: 3 } })).toBe('Step 2 of 3');
  });
  it('keeps the latest value of each metric', () => {
    const metrics: MetricPoint[] = [
      { step: 1, time: 1, values: { loss: 1.75, lr: 1e-5 } },
      { step: 2, time: 2, values: { loss: 1.5, accuracy: Number.NaN } },
    ];
    expect(latestMetrics({ metrics })).toEqual([{ name: 'loss', value: 1.5, step: 2 }, { name: 'lr', value: 1e-5, step: 1 }]);
  });
  it('titles errors by name and describes where a model loads from', () => {
    expect(trainerErrorTitle('TrainerAuthError')).toBe('The trainer did not accept the API key');
    expect(trainerErrorTitle('TypeError')).toBe('Following this job failed');
    expect(engineWords({ engine: 'openai', model: 'ft:x', baseUrl: 'http://h/v1' })).toBe('endpoint model ft:x at http://h/v1');
    expect(engineWords({ engine: 'wllama', model: 'g', ggufUrl: 'http://h/m.gguf' })).toBe('GGUF file http://h/m.gguf');
  });
});
