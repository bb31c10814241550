/**
 * Training jobs persist with the project (IndexedDB through the ProjectStore's small-record
 * `meta` space), so the jobs view survives a reload and the follower picks every unfinished
 * job up again. A project has a handful of jobs, so they are kept as one record keyed by job id;
 * writes are queued one after another so two followers finishing at once never lose an update.
 */
import { TRAINING_JOB_SCHEMA_VERSION, type TrainingJob } from '../../core/training/job.ts';
import type { ProjectStore } from '../../ports/store.ts';

export const TRAINING_JOBS_KEY = 'training-jobs';

type JobMap = Record<string, TrainingJob>;

export class TrainingJobs {
  readonly #store: Pick<ProjectStore, 'getMeta' | 'putMeta'>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store: Pick<ProjectStore, 'getMeta' | 'putMeta'>) {
    this.#store = store;
  }

  async #read(): Promise<JobMap> {
    return (await this.#store.getMeta<JobMap>(TRAINING_JOBS_KEY)) ?? {};
  }

  /** Records from a newer app version are kept in storage but not read, rather than misread. */
  async #readable(): Promise<TrainingJob[]> {
    return Object.values(await this.#read()).filter((j) => j.schemaVersion === TRAINING_JOB_SCHEMA_VERSION);
  }

  /** Runs read-modify-write steps one at a time. */
  #serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(step, step);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Newest first. */
  async list(): Promise<TrainingJob[]> {
    await this.#queue;
    return (await this.#readable()).sort((a, b) => b.createdAt - a.createdAt);
  }

  async get(id: string): Promise<TrainingJob | undefined> {
    await this.#queue;
    return (await this.#readable()).find((j) => j.id === id);
  }

  put(job: TrainingJob): Promise<void> {
    return this.#serial(async () => {
      const map = await this.#read();
      map[job.id] = job;
      await this.#store.putMeta(TRAINING_JOBS_KEY, map);
    });
  }

  /** Applies `change` to the stored job (if it still exists) and returns the result. */
  update(id: string, change: (job: TrainingJob) => TrainingJob): Promise<TrainingJob | undefined> {
    return this.#serial(async () => {
      const map = await this.#read();
      const current = map[id];
      if (!current || current.schemaVersion !== TRAINING_JOB_SCHEMA_VERSION) return undefined;
      const next = change(current);
      map[id] = next;
      await this.#store.putMeta(TRAINING_JOBS_KEY, map);
      return next;
    });
  }

  remove(id: string): Promise<void> {
    return this.#serial(async () => {
      const map = await this.#read();
      delete map[id];
      await this.#store.putMeta(TRAINING_JOBS_KEY, map);
    });
  }
}
