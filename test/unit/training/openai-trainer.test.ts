import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followTrainingJob, submitTrainingJob, cancelTrainingJob } from '../../../src/adapters/trainer/follow.ts';
import { TrainingJobs } from '../../../src/adapters/trainer/jobs-store.ts';
import { OpenAiFineTuningTrainer, epochsFor } from '../../../src/adapters/trainer/openai-finetune.ts';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { modelChoices } from '../../../src/core/training/registered-model.ts';
import { startTrainerServer, type TrainerServer } from '../../support/trainer-server.ts';
import { dataset, forwardConfig, KEY, recordingSleep, rejection } from './helpers.ts';

let server: TrainerServer;
let clock: ReturnType<typeof recordingSleep>;
const trainer = (opts: { apiKey?: string; timeoutMs?: number; learningRateMultiplier?: number | null } = {}) =>
  new OpenAiFineTuningTrainer(
    { baseUrl: server.openaiBase, label: 'Test trainer', apiKey: opts.apiKey ?? KEY, learningRateMultiplier: opts.learningRateMultiplier ?? null },
    { sleep: clock.sleep, timeoutMs: opts.timeoutMs ?? 5000 },
  );

beforeEach(async () => {
  server = await startTrainerServer({ apiKey: KEY });
  clock = recordingSleep();
});
afterEach(() => server.close());

describe('OpenAI fine-tuning adapter, full lifecycle', () => {
  it('uploads, creates the job, follows it to the end and offers its model', async () => {
    const jobs = new TrainingJobs(new MemoryProjectStore());
    const training = await dataset(40);
    const validation = await dataset(4);
    const t = trainer();
    const submitted = await submitTrainingJob(t, { config: forwardConfig(), training, validation, suffix: 'fwd-r1' }, { jobs, trainerId: 'openai-1', now: () => 100 });
    expect([submitted.status, submitted.remoteId, submitted.remoteFiles, submitted.dataset]).toEqual([
      'validating', 'ftjob-3', ['file-1', 'file-2'], { examples: 40, bytes: training.bytes, validationExamples: 4 },
    ]);

    const [upload1, upload2, create] = server.requests;
    expect([upload1?.method, upload1?.path, upload1?.fields, upload1?.files.file?.name]).toEqual(['POST', '/v1/files', { purpose: 'fine-tune' }, 'forward-train.jsonl']);
    expect(upload1?.files.file?.text).toBe(await training.blob.text());
    expect(upload2?.files.file?.text).toBe(await validation.blob.text());
    expect(create?.json).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: 'file-1',
      validation_file: 'file-2',
      suffix: 'fwd-r1',
      seed: 42,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 3, batch_size: 8 } } },
    });
    expect(server.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);

    const updates: string[] = [];
    const done = await followTrainingJob(submitted.id, t, { jobs, sleep: clock.sleep, intervalMs: 5000, onUpdate: (j) => updates.push(j.status) });
    expect(updates).toEqual(['queued', 'running', 'running', 'running', 'succeeded']);
    expect(clock.waits).toEqual([5000, 5000, 5000, 5000]);
    expect(done?.status).toBe('succeeded');
    expect(done?.resultModel).toBe('ft:gpt-4o-mini-2024-07-18:humpback:fwd-r1:ftjob-3');
    expect(done?.progress).toEqual({ step: 3, totalSteps: 3 });
    expect(done?.metrics.map((m) => [m.step, m.values.train_loss])).toEqual([[1, 1.75], [2, 1.5], [3, 1.25]]);
    expect(done?.logs.map((l) => l.message)).toEqual([
      'Created fine-tuning job: ftjob-3', 'Job is queued', 'Fine-tuning job started',
      'Step 1/3: training loss=1.75', 'Step 2/3: training loss=1.5', 'Step 3/3: training loss=1.25',
      'New fine-tuned model created: ft:gpt-4o-mini-2024-07-18:humpback:fwd-r1:ftjob-3', 'The job has successfully completed',
    ]);
    expect(done?.artifacts).toEqual([{ kind: 'log', name: 'file-result-ftjob-3', url: `${server.openaiBase}/files/file-result-ftjob-3/content` }]);
    expect((await jobs.get(submitted.id))?.status).toBe('succeeded');
    expect(modelChoices(done!, server.openaiBase)).toEqual([
      { engine: 'openai', model: 'ft:gpt-4o-mini-2024-07-18:humpback:fwd-r1:ftjob-3', baseUrl: server.openaiBase },
    ]);
    // Following a finished job again asks the trainer nothing.
    const before = server.requests.length;
    expect((await followTrainingJob(submitted.id, t, { jobs, sleep: clock.sleep }))?.status).toBe('succeeded');
    expect(server.requests.length).toBe(before);
  });

  it('sends no LoRA settings, converts steps to epochs, and sends the multiplier the user set', async () => {
    // The removed "Together-style" option put lora_r & co. here; no service reads them there.
    const t = trainer({ learningRateMultiplier: 0.5 });
    const config = { ...forwardConfig(), length: { unit: 'steps' as const, steps: 25 } };
    await t.submit({ config, training: await dataset(40), suffix: 's' });
    const body = server.requests.find((r) => r.path === '/v1/fine_tuning/jobs')?.json as { method: { supervised: { hyperparameters: unknown } } };
    expect(body.method.supervised.hyperparameters).toEqual({ n_epochs: 5, batch_size: 8, learning_rate_multiplier: 0.5 });
    expect(epochsFor({ ...config, length: { unit: 'steps', steps: 10_000 } }, 40)).toBe(50);
  });

  it('clamps numbers to the ranges the API accepts', async () => {
    const t = trainer({ learningRateMultiplier: 0 });
    const config = { ...forwardConfig(), batchSize: 512, seed: 3_000_000_000, length: { unit: 'epochs' as const, epochs: 0.2 } };
    await t.submit({ config, training: await dataset(4), suffix: 'x'.repeat(80) });
    const body = server.requests.find((r) => r.path === '/v1/fine_tuning/jobs')?.json as { suffix: string; seed: number; method: { supervised: { hyperparameters: unknown } } };
    // batch_size 1–256, n_epochs 1–50, seed ≤ 2^31−1, suffix ≤ 64 characters, multiplier > 0 (0 is left to the service).
    expect(body.method.supervised.hyperparameters).toEqual({ n_epochs: 1, batch_size: 256 });
    expect([body.seed, body.suffix.length]).toEqual([2_147_483_647, 64]);
  });

  it('cancels a running job', async () => {
    const jobs = new TrainingJobs(new MemoryProjectStore());
    const t = trainer();
    const job = await submitTrainingJob(t, { config: forwardConfig(), training: await dataset(3), suffix: 'c' }, { jobs, trainerId: 'o' });
    await t.status(job.remoteId);
    const cancelled = await cancelTrainingJob(job.id, t, jobs);
    expect([cancelled?.status, server.job(job.remoteId)?.status]).toEqual(['cancelled', 'cancelled']);
    expect((await followTrainingJob(job.id, t, { jobs, sleep: clock.sleep }))?.status).toBe('cancelled');
  });

  it('follows a job that fails mid-way to its failure', async () => {
    const jobs = new TrainingJobs(new MemoryProjectStore());
    const t = trainer();
    const job = await submitTrainingJob(t, { config: forwardConfig(), training: await dataset(3), suffix: 'f' }, { jobs, trainerId: 'o' });
    await t.status(job.remoteId); // queued
    await t.status(job.remoteId); // running
    await t.status(job.remoteId); // step 1
    server.setMode({ kind: 'jobs-fail' });
    const done = await followTrainingJob(job.id, t, { jobs, sleep: clock.sleep });
    expect(done?.status).toBe('failed');
    expect(done?.failure).toBe('Training diverged at step 2 (loss is NaN). Lower the learning rate and try again.');
    expect(done?.logs.at(-1)).toMatchObject({ level: 'error', message: done?.failure });
    expect(done?.resultModel).toBeNull();
  });
});

describe('OpenAI fine-tuning adapter, failures', () => {
  it('401: says to check the key, never shows it, does not retry', async () => {
    const t = trainer({ apiKey: 'sk-wrong-key-abcdefghijklmnop' });
    const err = await rejection(t.status('ftjob-1'));
    expect(err.name).toBe('TrainerAuthError');
    expect(err.message).toBe('Test trainer did not accept the API key (HTTP 401). Check the key in the trainer settings, paste it again, and retry. The trainer said: Incorrect API key provided: [redacted].');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.authorization).toBe('Bearer sk-wrong-key-abcdefghijklmnop'); // the server did see it...
  });
  it('403: says the key lacks permission', async () => {
    server.setMode({ kind: 'unauthorized', status: 403 });
    const err = await rejection(trainer().status('ftjob-1'));
    expect([err.name, (err as Error & { status: number }).status]).toEqual(['TrainerAuthError', 403]);
    expect(err.message).toContain('lacks permission for fine-tuning');
  });
  it('404: names what is missing', async () => {
    const err = await rejection(trainer().status('ftjob-nope'));
    expect(err.name).toBe('TrainerNotFoundError');
    expect(err.message).toBe('Test trainer has no fine-tuning job ftjob-nope (HTTP 404). Check the trainer address (it should be the API base, e.g. ending in /v1), or remove this job if it was deleted on the trainer. The trainer said: No fine-tuning job here.');
  });
  it('429 on a read: waits as long as Retry-After says, then succeeds', async () => {
    const t = trainer();
    const job = await t.submit({ config: forwardConfig(), training: await dataset(2), suffix: 'r' });
    server.setMode({ kind: 'rate-limit', retryAfter: '2', times: 2 });
    expect((await t.status(job.remoteId)).status).toBe('queued');
    expect(clock.waits).toEqual([2000, 2000]);
    expect(server.requests.slice(-3).map((r) => r.outcome)).toEqual([429, 429, 200]);
  });
  it('429 on a submit: not repeated, says how long to wait', async () => {
    server.setMode({ kind: 'rate-limit', retryAfter: '7', times: 5, method: 'POST' });
    const err = await rejection(trainer().submit({ config: forwardConfig(), training: await dataset(2), suffix: 'r' }));
    expect(err.name).toBe('TrainerRateLimitError');
    expect((err as Error & { retryAfterSeconds: number }).retryAfterSeconds).toBe(7);
    expect(err.message).toContain('Wait 7 s and retry');
    expect(server.requests).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });
  it('500 on reads: backs off and retries, then gives up with a named error', async () => {
    const t = trainer();
    const job = await t.submit({ config: forwardConfig(), training: await dataset(2), suffix: 'r' });
    server.setMode({ kind: 'server-error', times: 2 });
    expect((await t.status(job.remoteId)).status).toBe('queued');
    expect(clock.waits).toEqual([1000, 2000]);
    server.setMode({ kind: 'server-error', times: 10, status: 503 });
    const err = await rejection(t.events(job.remoteId));
    expect(err.name).toBe('TrainerServerError');
    expect(err.message).toBe('Test trainer failed with HTTP 503, a problem on its side. Retry in a few minutes; a submitted job keeps running and is followed again. The trainer said: The server had an error while processing your request.');
    expect(clock.waits).toEqual([1000, 2000, 1000, 2000, 4000]);
  });
  it('slow answers: a read that times out is retried; a submit that times out is not', async () => {
    const t = trainer({ timeoutMs: 300 });
    const job = await t.submit({ config: forwardConfig(), training: await dataset(2), suffix: 's' });
    server.setMode({ kind: 'slow', delayMs: 1500, times: 1 });
    expect((await t.status(job.remoteId)).status).toBe('queued');
    expect(clock.waits).toEqual([1000]);
    server.setMode({ kind: 'slow', delayMs: 1500, times: 1 });
    const err = await rejection(t.submit({ config: forwardConfig(), training: await dataset(2), suffix: 's' }));
    expect(err.name).toBe('TrainerUnreachableError');
    expect(err.message).toBe('Could not reach Test trainer (no answer within 300 ms; the request may or may not have reached it, so check its job list before submitting again). Check the address and your network; a trainer on another origin must allow this page with CORS headers. Then retry.');
  });
  it('dropped connections: reads retry, submits report it', async () => {
    const t = trainer();
    const job = await t.submit({ config: forwardConfig(), training: await dataset(2), suffix: 'd' });
    server.setMode({ kind: 'drop', times: 1, method: 'GET' });
    expect((await t.status(job.remoteId)).status).toBe('queued');
    expect(server.requests.slice(-2).map((r) => r.outcome)).toEqual(['dropped', 200]);
    server.setMode({ kind: 'drop', times: 1, method: 'POST' });
    const err = await rejection(t.cancel(job.remoteId));
    expect(err.name).toBe('TrainerUnreachableError');
    expect(err.message).toContain('the connection failed or was dropped');
  });
  it('an unreachable address is a named error', async () => {
    const port = new URL(server.url).port;
    await server.close();
    const t = new OpenAiFineTuningTrainer({ baseUrl: `http://127.0.0.1:${port}/v1`, label: 'Gone', apiKey: KEY }, { sleep: clock.sleep, maxRetries: 1 });
    const err = await rejection(t.status('x'));
    expect(err.name).toBe('TrainerUnreachableError');
    expect(clock.waits).toEqual([1000]);
    server = await startTrainerServer(); // for afterEach
  });
});
