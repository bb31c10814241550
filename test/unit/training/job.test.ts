import { describe, expect, it } from 'vitest';
import { defaultTrainingConfig } from '../../../src/core/training/config.ts';
import {
  applyArtifacts,
  applyEvents,
  applySnapshot,
  KEPT_LOG_LINES,
  mapGenericStatus,
  mapOpenAiStatus,
  newTrainingJob,
  progressFraction,
  withFollowError,
  type TrainingJob,
} from '../../../src/core/training/job.ts';
import { modelChoices, registerModel, toModelRef } from '../../../src/core/training/registered-model.ts';
import type { JobSnapshot } from '../../../src/ports/trainer.ts';

const snap = (patch: Partial<JobSnapshot> = {}): JobSnapshot => ({
  remoteId: 'ftjob-1', status: 'queued', progress: null, resultModel: null, resultEndpoint: null, failure: null, remoteFiles: ['file-1'], ...patch,
});
const config = defaultTrainingConfig({ purpose: 'forward', examples: 3200, baseModel: 'gpt-4o-mini-2024-07-18' });
const job = (s = snap()): TrainingJob =>
  newTrainingJob({ trainerId: 'tr1', trainerKind: 'openai', config, dataset: { examples: 3200, bytes: 100, validationExamples: null }, suffix: 'fwd', snapshot: s }, 1000);

describe('training job record', () => {
  it('starts from the submission snapshot', () => {
    const j = job(snap({ status: 'validating' }));
    expect(j.schemaVersion).toBe(1);
    expect(j.id).toMatch(/^t_[0-9a-f]{16}$/);
    expect([j.status, j.remoteId, j.purpose, j.remoteFiles, j.createdAt, j.finishedAt]).toEqual(['validating', 'ftjob-1', 'forward', ['file-1'], 1000, null]);
  });
  it('folds status reads, and a finished job never runs again', () => {
    let j = applySnapshot(job(), snap({ status: 'running', progress: { step: 2, totalSteps: 10 } }), 2000);
    expect([j.status, j.progress, progressFraction(j)]).toEqual(['running', { step: 2, totalSteps: 10 }, 0.2]);
    j = applySnapshot(j, snap({ status: 'succeeded', resultModel: 'ft:x' }), 3000);
    expect([j.status, j.resultModel, j.finishedAt, progressFraction(j)]).toEqual(['succeeded', 'ft:x', 3000, 1]);
    j = applySnapshot(j, snap({ status: 'running' }), 4000);
    expect([j.status, j.finishedAt, j.updatedAt]).toEqual(['succeeded', 3000, 4000]);
  });
  it('merges repeated event reads by id and step, keeping the latest lines', () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ id: `e${i}`, time: i, level: 'info' as const, message: `line ${i}` }));
    let j = applyEvents(job(), { lines: lines.slice(0, 40), metrics: [{ step: 1, time: 1, values: { loss: 2 } }] }, 10);
    j = applyEvents(j, { lines: lines.slice(30), metrics: [{ step: 1, time: 1, values: { acc: 0.5 } }, { step: 2, time: 2, values: { loss: 1.5 } }], totalSteps: 4 }, 20);
    expect(j.logs).toHaveLength(KEPT_LOG_LINES);
    expect(j.logs[0]?.id).toBe('e10');
    expect(j.logs[49]?.id).toBe('e59');
    expect(j.metrics).toEqual([{ step: 1, time: 1, values: { loss: 2, acc: 0.5 } }, { step: 2, time: 2, values: { loss: 1.5 } }]);
    expect(j.progress).toEqual({ step: 2, totalSteps: 4 });
    expect(progressFraction(j)).toBe(0.5);
  });
  it('records and clears follow errors', () => {
    const failed = withFollowError(job(), { name: 'TrainerServerError', message: 'm' }, 5);
    expect(failed.followError).toEqual({ name: 'TrainerServerError', message: 'm' });
    expect(applySnapshot(failed, snap({ status: 'running' }), 6).followError).toBeNull();
  });
  it('maps service statuses', () => {
    expect(['validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'paused'].map(mapOpenAiStatus))
      .toEqual(['validating', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'queued']);
    expect(['queued', 'preparing', 'running', 'succeeded', 'failed', 'cancelled', '?'].map(mapGenericStatus))
      .toEqual(['queued', 'validating', 'running', 'succeeded', 'failed', 'cancelled', 'queued']);
  });
});

describe('registering a trained model', () => {
  const done = applyArtifacts(applySnapshot(job(), snap({ status: 'succeeded', resultModel: 'ft:gpt-4o-mini:humpback:fwd:1' }), 2), [
    { kind: 'gguf', name: 'm.gguf', url: 'https://files.example/j/m.gguf' },
    { kind: 'mlc-weights', name: 'w', url: 'https://files.example/j/mlc/' },
    { kind: 'mlc-lib', name: 'l', url: 'https://files.example/j/m-webgpu.wasm' },
    { kind: 'gguf', name: 'bad', url: 'ftp://x/y.gguf' },
  ], 3);

  it('offers every engine the job\'s results can load in', () => {
    expect(modelChoices(done, 'https://api.openai.com/v1')).toEqual([
      { engine: 'openai', model: 'ft:gpt-4o-mini:humpback:fwd:1', baseUrl: 'https://api.openai.com/v1' },
      { engine: 'webllm', model: 'ft:gpt-4o-mini:humpback:fwd:1', modelUrl: 'https://files.example/j/mlc/', modelLibUrl: 'https://files.example/j/m-webgpu.wasm' },
      { engine: 'wllama', model: 'ft:gpt-4o-mini:humpback:fwd:1', ggufUrl: 'https://files.example/j/m.gguf' },
    ]);
    expect(modelChoices(job(), 'https://api.openai.com/v1')).toEqual([]);
  });
  it('registers a finished job\'s model for the engines', () => {
    const choice = modelChoices(done, 'https://api.openai.com/v1')[0];
    if (!choice) throw new Error('no choice');
    const r = registerModel(done, choice, {}, 99);
    expect(r.ok && { ...r.value, id: 'x' }).toEqual({
      schemaVersion: 1, id: 'x', label: 'ft:gpt-4o-mini:humpback:fwd:1 (forward)', purpose: 'forward', jobId: done.id,
      engine: choice, registeredAt: 99,
    });
    expect(toModelRef(choice)).toEqual({ engine: 'openai', model: 'ft:gpt-4o-mini:humpback:fwd:1' });
  });
  it('refuses unfinished jobs and unusable URLs', () => {
    const notDone = registerModel(job(), { engine: 'openai', model: 'm', baseUrl: 'https://x/v1' });
    expect(notDone.ok ? null : notDone.issue.code).toBe('job-not-succeeded');
    const codeOf = (r: ReturnType<typeof registerModel>) => (r.ok ? 'ok' : r.issue.code);
    expect(codeOf(registerModel(null, { engine: 'wllama', model: 'm', ggufUrl: 'https://x/m.bin' }, { purpose: 'backward' }))).toBe('not-gguf');
    expect(codeOf(registerModel(null, { engine: 'webllm', model: 'm', modelUrl: 'https://x/w/', modelLibUrl: 'https://x/lib.js' }, { purpose: 'backward' }))).toBe('not-wasm');
    expect(codeOf(registerModel(null, { engine: 'openai', model: 'm', baseUrl: 'localhost:8000' }, { purpose: 'forward' }))).toBe('url-invalid');
    expect(codeOf(registerModel(null, { engine: 'openai', model: ' ', baseUrl: 'http://x/v1' }, { purpose: 'forward' }))).toBe('model-name-missing');
    expect(codeOf(registerModel(null, { engine: 'openai', model: 'm', baseUrl: 'http://x/v1' }))).toBe('purpose-missing');
    expect(codeOf(registerModel(null, { engine: 'wllama', model: 'm', ggufUrl: 'https://x/m.gguf?download=1' }, { purpose: 'backward' }))).toBe('ok');
  });
});
