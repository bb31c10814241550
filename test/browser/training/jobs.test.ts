/**
 * Training jobs and trainer keys on real IndexedDB in real Chromium: a job survives a "reload"
 * (a new store, jobs list and trainer over the same database), the follower picks it up again
 * and records a real network failure on it, and API keys persist only when the user asks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resumeTrainingJobs } from '../../../src/adapters/trainer/follow.ts';
import { GenericHttpTrainer } from '../../../src/adapters/trainer/generic-http.ts';
import { TrainingJobs } from '../../../src/adapters/trainer/jobs-store.ts';
import { idbSecretPersistence, localStorageSecretPersistence, TrainerSecrets } from '../../../src/adapters/trainer/secrets.ts';
import { IdbCatalog } from '../../../src/adapters/idb-store.ts';
import { newProject } from '../../../src/core/records.ts';
import { defaultTrainingConfig } from '../../../src/core/training/config.ts';
import { newTrainingJob, type TrainingJob } from '../../../src/core/training/job.ts';
import { clear, createStore } from 'idb-keyval';
import type { ProjectStore } from '../../../src/ports/store.ts';

const catalog = new IdbCatalog();
const projects: string[] = [];
const opened: ProjectStore[] = [];
const secretsDb = createStore('humpback-secrets-test', 'keys');
afterAll(async () => {
  // Open connections would block the deletes.
  for (const s of opened) await s.close();
  for (const id of projects) await catalog.deleteProject(id);
  await clear(secretsDb);
});

async function project() {
  const p = newProject('training');
  projects.push(p.id);
  await catalog.putProject(p);
  return p.id;
}

/** Opens the project as a freshly loaded page would. */
async function open(id: string): Promise<ProjectStore> {
  const store = await catalog.openProject(id);
  opened.push(store);
  return store;
}

function job(trainerId: string, suffix: string, now: number): TrainingJob {
  return newTrainingJob({
    trainerId,
    trainerKind: 'generic',
    config: defaultTrainingConfig({ purpose: 'backward', examples: 120, baseModel: 'meta-llama/Llama-3.1-8B' }),
    dataset: { examples: 120, bytes: 4096, validationExamples: null },
    suffix,
    snapshot: { remoteId: `job-${suffix}`, status: 'running', progress: { step: 4, totalSteps: 40 }, resultModel: null, resultEndpoint: null, failure: null, remoteFiles: ['train.jsonl'] },
  }, now);
}

describe('training jobs in IndexedDB', () => {
  it('persist across a reload, newest first', async () => {
    const id = await project();
    const first = new TrainingJobs(await open(id));
    const a = job('box', 'a', 1000);
    const b = job('box', 'b', 2000);
    await Promise.all([first.put(a), first.put(b)]);
    await first.update(a.id, (j) => ({ ...j, progress: { step: 9, totalSteps: 40 } }));

    const reloaded = new TrainingJobs(await open(id));
    const listed = await reloaded.list();
    expect(listed.map((j) => j.id)).toEqual([b.id, a.id]);
    expect(listed[1]).toEqual({ ...a, progress: { step: 9, totalSteps: 40 } });
    await reloaded.remove(b.id);
    expect((await new TrainingJobs(await open(id)).list()).map((j) => j.id)).toEqual([a.id]);
  });

  it('are followed again after a reload, and a real network failure is recorded on them', async () => {
    const id = await project();
    const before = new TrainingJobs(await open(id));
    const reachable = job('closed-port', 'c', 1000);
    const keyless = job('no-key', 'd', 2000);
    await before.put(reachable);
    await before.put(keyless);

    const jobs = new TrainingJobs(await open(id));
    const stop = new AbortController();
    // Port 9 (discard) has nothing listening: fetch fails for real.
    const trainerFor = async (j: TrainingJob) =>
      j.trainerId === 'closed-port' ? new GenericHttpTrainer({ baseUrl: 'http://127.0.0.1:9/api', label: 'Closed box', apiKey: null }, { maxRetries: 0 }) : null;
    const waits: number[] = [];
    const followed = await resumeTrainingJobs(trainerFor, {
      jobs,
      signal: stop.signal,
      intervalMs: 1000,
      sleep: async (ms) => {
        waits.push(ms);
        stop.abort();
        throw new Error('stopped');
      },
    });
    expect(followed).toHaveLength(1);
    await Promise.all(followed);
    expect(waits).toEqual([2000]);

    const after = new TrainingJobs(await open(id));
    const r = await after.get(reachable.id);
    expect([r?.status, r?.progress, r?.followError?.name]).toEqual(['running', { step: 4, totalSteps: 40 }, 'TrainerUnreachableError']);
    expect(r?.followError?.message).toBe('Could not reach Closed box (the connection failed or was dropped). Check the address and your network; a trainer on another origin must allow this page with CORS headers. Then retry.');
    expect((await after.get(keyless.id))?.followError?.name).toBe('TrainerKeyMissingError');
  });
});

describe('trainer keys', () => {
  it('stay in memory unless remembered; remembered ones survive a reload in IndexedDB', async () => {
    const persist = () => idbSecretPersistence(secretsDb);
    const s1 = new TrainerSecrets(persist());
    await s1.set('openai', 'sk-memory-only-1234567890', { remember: false });
    await s1.set('box', 'box-token-remembered', { remember: true });
    expect(await s1.get('openai')).toBe('sk-memory-only-1234567890');
    expect(s1.known().sort()).toEqual(['box-token-remembered', 'sk-memory-only-1234567890']);

    const s2 = new TrainerSecrets(persist());
    expect([await s2.get('openai'), await s2.get('box')]).toEqual([null, 'box-token-remembered']);
    expect([await s2.isRemembered('openai'), await s2.isRemembered('box')]).toEqual([false, true]);

    // Unticking "remember" deletes the stored copy but keeps it for this session.
    await s2.set('box', 'box-token-remembered', { remember: false });
    expect(await s2.get('box')).toBe('box-token-remembered');
    expect(await new TrainerSecrets(persist()).get('box')).toBeNull();
  });
  it('can persist in localStorage instead, and forget', async () => {
    const s1 = new TrainerSecrets(localStorageSecretPersistence(localStorage, 'test-secret:'));
    await s1.set('box', '  padded-token-value  ', { remember: true });
    expect(localStorage.getItem('test-secret:box')).toBe('padded-token-value');
    expect(await new TrainerSecrets(localStorageSecretPersistence(localStorage, 'test-secret:')).get('box')).toBe('padded-token-value');
    await s1.forget('box');
    expect(localStorage.getItem('test-secret:box')).toBeNull();
    expect(await s1.get('box')).toBeNull();
  });
});
