/**
 * Training hand-off for one open project: the trainers the user configured, the jobs sent to
 * them (persisted, and followed again whenever the panel opens — after a reload too), and the
 * models brought back from finished jobs.
 *
 * Project settings this class owns:
 * - `trainers`: `TrainerSettings[]` (src/ports/trainer.ts) — never a key; keys live in the
 *   secret store, in memory unless the user ticks "remember on this device".
 * - `models`: the models brought back (see trained-models.svelte.ts for the shape).
 *
 * Errors reach the user through `ps.notices`, with every known key blanked first; a job's own
 * following error is data on the job and shows on its card.
 */
import { clickDownload } from '../../adapters/export/save-target.ts';
import { cancelTrainingJob, followTrainingJob, resumeTrainingJobs, submitTrainingJob } from '../../adapters/trainer/follow.ts';
import type { HttpOptions } from '../../adapters/trainer/http.ts';
import { TrainingJobs } from '../../adapters/trainer/jobs-store.ts';
import { openTrainer } from '../../adapters/trainer/open-trainer.ts';
import { defaultTrainerSecrets, type SecretStore } from '../../adapters/trainer/secrets.ts';
import { describeError } from '../../core/errors.ts';
import type { Issue } from '../../core/result.ts';
import { isFinished, withFollowError, type TrainingJob } from '../../core/training/job.ts';
import { redact } from '../../core/training/redact.ts';
import { trainerSettingsOf, validateTrainerDraft, type TrainerDraft } from '../../core/training/trainers.ts';
import type { Trainer, TrainerSettings } from '../../ports/trainer.ts';
import { SvelteSet } from 'svelte/reactivity';
import type { ProjectState } from '../project/project.svelte.ts';
import { TrainedModels } from './trained-models.svelte.ts';
import { TrainingDraft } from './training-draft.svelte.ts';
import type { CuratedSet } from '../../core/curation/curated-set.ts';
import { TemplateBook } from '../stages/stage-forms.svelte.ts';
import { currentSet } from '../review/curation.ts';
import type { Run } from '../../core/records.ts';

export type KeyState = 'none' | 'session' | 'remembered';

export interface TrainingOptions {
  secrets?: SecretStore;
  http?: HttpOptions;
  /** Between two reads of a running job. */
  intervalMs?: number;
  download?: (blob: Blob, name: string) => void;
}

export class TrainingState {
  jobs = $state<TrainingJob[]>([]);
  /** Whether each trainer (by id) has a key on hand, and whether it survives a reload. */
  keys = $state<Record<string, KeyState>>({});
  loaded = $state(false);
  submitting = $state(false);
  bundling = $state(false);
  /** The project's stage runs as last read (on open and on prepare). */
  runs = $state.raw<Run[] | null>(null);

  /**
   * The curated set the forward data is read from: the saved choice over the runs, so a change
   * made on the Export form beside it shows here at once (null until the runs are read).
   */
  get set(): CuratedSet | null {
    return this.runs ? currentSet(this.ps, this.runs) : null;
  }
  readonly draft = new TrainingDraft();
  readonly models: TrainedModels;
  readonly ps: ProjectState;
  readonly #secrets: SecretStore;
  readonly #http: HttpOptions;
  readonly #intervalMs: number;
  readonly #download: (blob: Blob, name: string) => void;
  readonly #following = new SvelteSet<string>();
  #stop = new AbortController();
  #store: TrainingJobs | null = null;

  constructor(ps: ProjectState, options: TrainingOptions = {}) {
    this.ps = ps;
    this.models = new TrainedModels(ps, () => this.trainers);
    this.#secrets = options.secrets ?? defaultTrainerSecrets();
    this.#http = options.http ?? {};
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#download = options.download ?? ((blob, name) => clickDownload(blob, name));
  }

  get trainers(): TrainerSettings[] {
    return this.ps.setting<TrainerSettings[]>('trainers', []);
  }

  /** Whether the page is following this job right now. */
  following(jobId: string): boolean {
    return this.#following.has(jobId);
  }

  #fail(err: unknown, context: string): void {
    // The adapters redact already; this is the last line before anything reaches the page.
    this.ps.notices.error(redact(describeError(err), this.#secrets.known()), context);
  }

  #jobs(): TrainingJobs | null {
    if (!this.#store && this.ps.store) this.#store = new TrainingJobs(this.ps.store);
    return this.#store;
  }

  #replace(job: TrainingJob): void {
    const i = this.jobs.findIndex((j) => j.id === job.id);
    if (i === -1) this.jobs = [job, ...this.jobs];
    else this.jobs[i] = job;
  }

  async #trainerFor(job: { trainerId: string }): Promise<Trainer | null> {
    const settings = this.trainers.find((s) => s.id === job.trainerId);
    return settings ? openTrainer($state.snapshot(settings), this.#secrets, this.#http) : null;
  }

  #followOptions(jobs: TrainingJobs) {
    return { jobs, signal: this.#stop.signal, intervalMs: this.#intervalMs, onUpdate: (j: TrainingJob) => this.#replace(j) };
  }

  #track(jobId: string, followed: Promise<TrainingJob | undefined>): void {
    this.#following.add(jobId);
    followed
      .catch((err: unknown) => this.#fail(err, 'Following a training job'))
      .finally(() => this.#following.delete(jobId));
  }

  /** Loads the jobs and key states, then follows every unfinished job again. */
  async open(): Promise<void> {
    const store = await this.ps.open();
    const jobs = this.#jobs();
    if (!store || !jobs) return;
    try {
      this.runs = await store.listRuns();
      this.jobs = await jobs.list();
      await this.#refreshKeys();
      const ids: string[] = [];
      const followed = await resumeTrainingJobs(async (job) => {
        if (this.#following.has(job.id)) return null;
        const trainer = await this.#trainerFor(job);
        if (trainer) ids.push(job.id);
        return trainer;
      }, this.#followOptions(jobs));
      followed.forEach((p, i) => this.#track(ids[i] ?? '', p));
    } catch (err) {
      this.#fail(err, 'Loading training jobs');
    } finally {
      this.loaded = true;
    }
  }

  /** Stops following (the jobs go on at the trainer and are followed again on the next open). */
  close(): void {
    this.#stop.abort();
    this.#stop = new AbortController();
  }

  /** Follows one job again (reading is always safe to repeat). */
  async follow(jobId: string): Promise<void> {
    const jobs = this.#jobs();
    if (!jobs || this.#following.has(jobId)) return;
    const job = await jobs.get(jobId);
    if (!job || (isFinished(job.status) && job.followError === null)) return;
    const trainer = await this.#trainerFor(job);
    if (!trainer) {
      const saved = await jobs.update(jobId, (j) => withFollowError(j, {
        name: 'TrainerKeyMissingError',
        message: 'Enter the API key of this job\'s trainer (under Trainers) to follow it again.',
      }));
      if (saved) this.#replace(saved);
      return;
    }
    this.#track(jobId, followTrainingJob(jobId, trainer, this.#followOptions(jobs)));
  }

  async #refreshKeys(): Promise<void> {
    const next: Record<string, KeyState> = {};
    for (const t of this.trainers) {
      const remembered = await this.#secrets.isRemembered(t.secretId);
      next[t.id] = remembered ? 'remembered' : (await this.#secrets.get(t.secretId)) !== null ? 'session' : 'none';
    }
    this.keys = next;
  }

  /**
   * Saves a trainer profile (new, or `existing` edited) and its key. An empty key keeps the one
   * already held. Returns the draft's issues, empty on success.
   */
  async saveTrainer(draft: TrainerDraft, key: string, remember: boolean, existing?: TrainerSettings): Promise<Issue[]> {
    const issues = validateTrainerDraft(draft);
    if (issues.length > 0) return issues;
    const settings = trainerSettingsOf(draft, existing);
    const others = this.trainers.filter((t) => t.id !== settings.id);
    await this.ps.saveSetting('trainers', [...others, settings]);
    await this.setKey(settings.id, key, remember);
    return [];
  }

  /** Keeps a trainer's key (in memory, or on this device too); then follows its waiting jobs. */
  async setKey(trainerId: string, key: string, remember: boolean): Promise<void> {
    const t = this.trainers.find((s) => s.id === trainerId);
    if (!t) return;
    try {
      const current = await this.#secrets.get(t.secretId);
      const value = key.trim() !== '' ? key : current;
      if (value !== null) await this.#secrets.set(t.secretId, value, { remember });
      await this.#refreshKeys();
    } catch (err) {
      this.#fail(err, 'Keeping the API key');
      return;
    }
    for (const j of this.jobs) if (j.trainerId === trainerId && j.followError !== null) void this.follow(j.id);
  }

  async forgetKey(trainerId: string): Promise<void> {
    const t = this.trainers.find((s) => s.id === trainerId);
    if (!t) return;
    await this.#secrets.forget(t.secretId);
    await this.#refreshKeys();
  }

  async removeTrainer(trainerId: string): Promise<void> {
    const t = this.trainers.find((s) => s.id === trainerId);
    if (!t) return;
    await this.#secrets.forget(t.secretId);
    await this.ps.saveSetting('trainers', this.trainers.filter((s) => s.id !== trainerId));
    await this.#refreshKeys();
  }

  /** Prepares the draft's data from the project (or the dropped file). */
  async prepare(): Promise<void> {
    const store = this.ps.store;
    if (!store) return;
    try {
      this.runs = await store.listRuns();
      const set = this.set;
      if (!set) return;
      await this.draft.prepare(store, { set, backwardTemplate: new TemplateBook(this.ps).get('augment-finetuned') });
    } catch (err) {
      this.#fail(err, 'Preparing the training data');
    }
  }

  /** Sends the prepared data and config to a trainer. Never retried by itself: a repeat could start two jobs. */
  async submit(trainerId: string): Promise<TrainingJob | null> {
    const settings = this.trainers.find((s) => s.id === trainerId);
    const jobs = this.#jobs();
    const training = this.draft.prepared;
    const config = this.draft.configSnapshot();
    if (!settings || !jobs || !training || !config || !this.draft.ready || this.submitting) return null;
    this.submitting = true;
    try {
      const trainer = await openTrainer($state.snapshot(settings), this.#secrets, this.#http);
      if (!trainer) {
        this.ps.notices.info('API key needed', `Enter the API key for ${settings.label} under Trainers, then submit again.`);
        return null;
      }
      const suffix = this.draft.suffix.trim() || config.purpose;
      const job = await submitTrainingJob(trainer, { config, training, suffix }, { jobs, trainerId });
      this.#replace(job);
      this.#track(job.id, followTrainingJob(job.id, trainer, this.#followOptions(jobs)));
      return job;
    } catch (err) {
      this.#fail(err, 'Submitting the training job');
      return null;
    } finally {
      this.submitting = false;
    }
  }

  async cancel(jobId: string): Promise<void> {
    const jobs = this.#jobs();
    const job = this.jobs.find((j) => j.id === jobId);
    if (!jobs || !job) return;
    try {
      const trainer = await this.#trainerFor(job);
      if (!trainer) {
        this.ps.notices.info('API key needed', 'Enter the API key of this job\'s trainer under Trainers, then cancel again.');
        return;
      }
      const saved = await cancelTrainingJob(jobId, trainer, jobs);
      if (saved) this.#replace(saved);
    } catch (err) {
      this.#fail(err, 'Cancelling the training job');
    }
  }

  /** Forgets a finished job here (the trainer keeps its own record). */
  async removeJob(jobId: string): Promise<void> {
    const jobs = this.#jobs();
    if (!jobs) return;
    try {
      await jobs.remove(jobId);
      this.jobs = this.jobs.filter((j) => j.id !== jobId);
    } catch (err) {
      this.#fail(err, 'Removing the job');
    }
  }

  /** Zips the prepared data with Axolotl / LLaMA-Factory configs and a README, and downloads it. */
  async downloadBundle(): Promise<void> {
    const training = this.draft.prepared;
    const config = this.draft.configSnapshot();
    if (!training || !config || !this.draft.ready) return;
    this.bundling = true;
    try {
      const provenance = this.draft.summary?.provenance;
      const input = { config, training, name: this.draft.suffix.trim() || config.purpose, ...(provenance ? { provenance } : {}) };
      // The zip and YAML libraries load on first use, not with the page.
      const { buildTrainingBundle, bundleFileName } = await import('../../adapters/trainer/bundle.ts');
      this.#download(await buildTrainingBundle(input), bundleFileName(input));
    } catch (err) {
      this.#fail(err, 'Building the training bundle');
    } finally {
      this.bundling = false;
    }
  }
}
