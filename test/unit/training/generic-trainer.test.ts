import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followTrainingJob, resumeTrainingJobs, submitTrainingJob } from '../../../src/adapters/trainer/follow.ts';
import { GenericHttpTrainer } from '../../../src/adapters/trainer/generic-http.ts';
import { TrainingJobs } from '../../../src/adapters/trainer/jobs-store.ts';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { modelChoices, registerModel } from '../../../src/core/training/registered-model.ts';
import type { TrainingJob } from '../../../src/core/training/job.ts';
import { startTrainerServer, type TrainerServer } from '../../support/trainer-server.ts';
import { dataset, forwardConfig, recordingSleep, rejection } from './helpers.ts';

/** Not key-shaped, so only "redact what we know" can hide it. */
const TOKEN = 'gpu-box-token-horse-battery-staple';

let server: TrainerServer;
let clock: ReturnType<typeof recordingSleep>;
const trainer = (token = TOKEN) => new GenericHttpTrainer({ baseUrl: server.genericBase, label: 'GPU box', apiKey: token }, { sleep: clock.sleep });

beforeEach(async () => {
  server = await startTrainerServer({ apiKey: TOKEN });
  clock = recordingSleep();
});
afterEach(() => server.close());

describe('generic trainer protocol, full lifecycle', () => {
  it('sends the data and whole config, follows progress, lists artifacts, and the model comes back', async () => {
    const jobs = new TrainingJobs(new MemoryProjectStore());
    const config = forwardConfig('meta-llama/Llama-3.1-8B');
    const training = await dataset(40);
    const t = trainer();
    const submitted = await submitTrainingJob(t, { config, training, suffix: 'fwd-r1' }, { jobs, trainerId: 'box' });
    expect([submitted.status, submitted.remoteId, submitted.trainerKind, submitted.remoteFiles]).toEqual(['queued', 'job-1', 'generic', ['train.jsonl']]);

    const create = server.requests[0];
    expect([create?.method, create?.path, create?.authorization]).toEqual(['POST', '/api/jobs', `Bearer ${TOKEN}`]);
    expect(JSON.parse(create?.fields.config ?? '')).toEqual({
      protocol: 'humpback-trainer/1',
      config,
      suffix: 'fwd-r1',
      dataset: { format: 'messages', examples: 40, validationExamples: null },
    });
    expect(create?.files.train?.text).toBe(await training.blob.text());

    const progress: (number | null)[] = [];
    const done = await followTrainingJob(submitted.id, t, {
      jobs, sleep: clock.sleep, intervalMs: 2000, onUpdate: (j) => progress.push(j.progress?.step ?? null),
    });
    expect(progress).toEqual([0, 0, 1, 2, 3]); // the logs say 3 steps before the run starts
    expect(clock.waits).toEqual([2000, 2000, 2000, 2000]);
    expect([done?.status, done?.resultModel, done?.resultEndpoint, done?.progress]).toEqual(['succeeded', 'fwd-r1-job-1', `${server.url}/v1`, { step: 3, totalSteps: 3 }]);
    expect(done?.metrics.map((m) => m.values)).toEqual([{ loss: 1.75 }, { loss: 1.5 }, { loss: 1.25 }]);
    expect(done?.logs.map((l) => l.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(done?.artifacts).toEqual([
      { kind: 'adapter', name: 'adapter_model.safetensors', url: `${server.genericBase}/files/job-1/adapter_model.safetensors`, bytes: 1024 },
      { kind: 'gguf', name: 'model-q4_k_m.gguf', url: `${server.url}/files/job-1/model-q4_k_m.gguf` },
      { kind: 'mlc-weights', name: 'MLC weights', url: `${server.url}/files/job-1/mlc/` },
      { kind: 'mlc-lib', name: 'model library', url: `${server.url}/files/job-1/model-webgpu.wasm` },
    ]);

    const choices = modelChoices(done!, server.genericBase);
    expect(choices).toEqual([
      { engine: 'openai', model: 'fwd-r1-job-1', baseUrl: `${server.url}/v1` },
      { engine: 'webllm', model: 'fwd-r1-job-1', modelUrl: `${server.url}/files/job-1/mlc/`, modelLibUrl: `${server.url}/files/job-1/model-webgpu.wasm` },
      { engine: 'wllama', model: 'fwd-r1-job-1', ggufUrl: `${server.url}/files/job-1/model-q4_k_m.gguf` },
    ]);
    const registered = registerModel(done!, choices[2]!, { label: 'Curator r1' });
    expect(registered.ok && [registered.value.label, registered.value.purpose, registered.value.jobId]).toEqual(['Curator r1', 'forward', submitted.id]);
  });

  it('rejects a bad request with the trainer\'s words and does not retry', async () => {
    const t = new GenericHttpTrainer({ baseUrl: server.url + '/api', label: 'GPU box', apiKey: TOKEN }, { sleep: clock.sleep });
    // A job id the box never issued.
    const err = await rejection(t.artifacts('job-404'));
    expect([err.name, err.message]).toEqual(['TrainerNotFoundError', 'GPU box has no job job-404 (HTTP 404). Check the trainer address (it should be the API base, e.g. ending in /v1), or remove this job if it was deleted on the trainer. The trainer said: No job here.']);
  });
});

describe('following through trouble', () => {
  it('records passing failures on the job, backs off, and carries on to the end', async () => {
    const jobs = new TrainingJobs(new MemoryProjectStore());
    const t = trainer();
    const job = await submitTrainingJob(t, { config: forwardConfig('m'), training: await dataset(2), suffix: 'x' }, { jobs, trainerId: 'box' });
    server.setMode({ kind: 'server-error', times: 4 }); // the first poll's 4 attempts all fail
    const seen: (string | null)[] = [];
    const done = await followTrainingJob(job.id, t, { jobs, sleep: clock.sleep, intervalMs: 1000, onUpdate: (j) => seen.push(j.followError?.name ?? null) });
    expect(seen).toEqual(['TrainerServerError', null, null, null, null, null]);
    // 3 quick retries inside the request, then the follower's back-off (1000 · 2¹), then normal polling.
    expect(clock.waits).toEqual([1000, 2000, 4000, 2000, 1000, 1000, 1000, 1000]);
    expect([done?.status, done?.followError]).toEqual(['succeeded', null]);
  });

  it('waits at least as long as a 429 asks between polls', async () => {
    const jobs = new TrainingJobs(new MemoryProjectStore());
    const t = new GenericHttpTrainer({ baseUrl: server.genericBase, label: 'GPU box', apiKey: TOKEN }, { sleep: clock.sleep, maxRetries: 0 });
    const job = await submitTrainingJob(t, { config: forwardConfig('m'), training: await dataset(2), suffix: 'x' }, { jobs, trainerId: 'box' });
    server.setMode({ kind: 'rate-limit', retryAfter: '30', times: 1 });
    await followTrainingJob(job.id, t, { jobs, sleep: clock.sleep, intervalMs: 1000 });
    expect(clock.waits[0]).toBe(30_000);
  });

  it('stops on a refused key, keeps the job, and never stores the key', async () => {
    const store = new MemoryProjectStore();
    const jobs = new TrainingJobs(store);
    const job = await submitTrainingJob(trainer(), { config: forwardConfig('m'), training: await dataset(2), suffix: 'x' }, { jobs, trainerId: 'box' });
    const wrong = 'an-old-token-nobody-should-see';
    const stopped = await followTrainingJob(job.id, trainer(wrong), { jobs, sleep: clock.sleep });
    expect([stopped?.status, stopped?.followError?.name]).toEqual(['queued', 'TrainerAuthError']);
    expect(stopped?.followError?.message).toBe('GPU box did not accept the API key (HTTP 401). Check the key in the trainer settings, paste it again, and retry. The trainer said: Incorrect API key provided: [redacted].');
    expect(clock.waits).toEqual([]);
    const stored = JSON.stringify(await store.getMeta('training-jobs'));
    expect(stored).toContain('TrainerAuthError');
    expect(stored).not.toContain(wrong);
    expect(stored).not.toContain(TOKEN);
  });

  it('after a reload, follows unfinished jobs again — or says the key is missing', async () => {
    const store = new MemoryProjectStore();
    const first = new TrainingJobs(store);
    const a = await submitTrainingJob(trainer(), { config: forwardConfig('m'), training: await dataset(2), suffix: 'a' }, { jobs: first, trainerId: 'box' });
    const b = await submitTrainingJob(trainer(), { config: forwardConfig('m'), training: await dataset(2), suffix: 'b' }, { jobs: first, trainerId: 'other-box' });

    // "Reload": a new jobs store and new trainer instances over the same storage.
    const jobs = new TrainingJobs(store);
    const updates: TrainingJob[] = [];
    const followed = await resumeTrainingJobs(async (j) => (j.trainerId === 'box' ? trainer() : null), { jobs, sleep: clock.sleep, onUpdate: (j) => updates.push(j) });
    expect(followed).toHaveLength(1);
    const [resumed] = await Promise.all(followed);
    expect([resumed?.id, resumed?.status]).toEqual([a.id, 'succeeded']);
    const waiting = await jobs.get(b.id);
    expect([waiting?.status, waiting?.followError?.name]).toEqual(['queued', 'TrainerKeyMissingError']);
    expect((await jobs.list()).map((j) => j.id).sort()).toEqual([a.id, b.id].sort());
    // Finished jobs are not followed again.
    expect(await resumeTrainingJobs(async () => trainer(), { jobs: new TrainingJobs(store), sleep: clock.sleep }).then((f) => f.length)).toBe(1);
  });

  it('never lets the key into errors, logs or records across every failure mode', async () => {
    const store = new MemoryProjectStore();
    const jobs = new TrainingJobs(store);
    const t = new GenericHttpTrainer({ baseUrl: server.genericBase, label: 'GPU box', apiKey: TOKEN }, { sleep: clock.sleep, maxRetries: 0, timeoutMs: 300 });
    const job = await submitTrainingJob(t, { config: forwardConfig('m'), training: await dataset(2), suffix: 'x' }, { jobs, trainerId: 'box' });
    const messages: string[] = [];
    const modes = [
      { kind: 'unauthorized' as const }, { kind: 'unauthorized' as const, status: 403 as const },
      { kind: 'rate-limit' as const, retryAfter: '1', times: 1 }, { kind: 'server-error' as const, times: 1 },
      { kind: 'slow' as const, delayMs: 1000, times: 1 }, { kind: 'drop' as const, times: 1 },
    ];
    for (const mode of modes) {
      server.setMode(mode);
      messages.push((await rejection(t.status(job.remoteId))).message);
      messages.push((await rejection(t.cancel('job-unknown'))).message);
    }
    expect(messages).toHaveLength(12);
    server.setMode({ kind: 'normal' });
    await followTrainingJob(job.id, t, { jobs, sleep: clock.sleep });
    const everything = messages.join('\n') + JSON.stringify(await store.getMeta('training-jobs'));
    expect(everything).not.toContain(TOKEN);
    expect(server.requests.filter((r) => r.authorization === `Bearer ${TOKEN}`).length).toBe(server.requests.length);
  });
});
