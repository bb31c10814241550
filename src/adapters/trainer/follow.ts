/**
 * Submitting, following and cancelling training jobs, with every change saved before anyone is
 * told about it — so a reload finds the job where the last poll left it and follows it again.
 * A poll that fails for a passing reason (429, 5xx, no network) is recorded on the job and
 * retried with growing waits; one the user must fix (401/403, 404) stops following until they
 * do. A failed *submission* is never retried: it could start a second job.
 */
import { describeError } from '../../core/errors.ts';
import { isTransientTrainerError, TrainerRateLimitError } from '../../core/training/errors.ts';
import { applyArtifacts, applyEvents, applySnapshot, isFinished, newTrainingJob, withFollowError, type TrainingJob } from '../../core/training/job.ts';
import type { Trainer, TrainingSubmission } from '../../ports/trainer.ts';
import { sleep as realSleep } from './http.ts';
import type { TrainingJobs } from './jobs-store.ts';

export interface SubmitOptions {
  jobs: TrainingJobs;
  /** Id of the trainer settings the job runs on (to find the trainer again after a reload). */
  trainerId: string;
  now?: () => number;
}

/** Sends the job to the trainer and saves the new record. Errors (named) propagate unchanged. */
export async function submitTrainingJob(trainer: Trainer, submission: TrainingSubmission, opts: SubmitOptions): Promise<TrainingJob> {
  const snapshot = await trainer.submit(submission);
  const job = newTrainingJob({
    trainerId: opts.trainerId,
    trainerKind: trainer.kind,
    config: submission.config,
    dataset: {
      examples: submission.training.examples,
      bytes: submission.training.bytes,
      validationExamples: submission.validation?.examples ?? null,
    },
    suffix: submission.suffix,
    snapshot,
  }, (opts.now ?? Date.now)());
  await opts.jobs.put(job);
  return job;
}

export interface FollowOptions {
  jobs: TrainingJobs;
  signal?: AbortSignal;
  /** Called after each saved change. */
  onUpdate?: (job: TrainingJob) => void;
  intervalMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** Polls until the job finishes (or following must stop); returns the last saved record. */
export async function followTrainingJob(jobId: string, trainer: Trainer, opts: FollowOptions): Promise<TrainingJob | undefined> {
  const interval = opts.intervalMs ?? 5000;
  const maxBackoff = opts.maxBackoffMs ?? 120_000;
  const wait = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  let failures = 0;
  for (;;) {
    const job = await opts.jobs.get(jobId);
    if (!job) return undefined;
    // A finished job was read together with its artifacts; nothing more will change.
    if (isFinished(job.status) && job.followError === null) return job;
    let delay = interval;
    try {
      const snapshot = await trainer.status(job.remoteId, opts.signal);
      const events = await trainer.events(job.remoteId, opts.signal);
      const artifacts = snapshot.status === 'succeeded' ? await trainer.artifacts(job.remoteId, opts.signal) : null;
      const t = now();
      const saved = await opts.jobs.update(jobId, (j) => {
        const next = applyEvents(applySnapshot(j, snapshot, t), events, t);
        return artifacts ? applyArtifacts(next, artifacts, t) : next;
      });
      if (!saved) return undefined;
      opts.onUpdate?.(saved);
      failures = 0;
      if (isFinished(saved.status)) return saved;
    } catch (err) {
      if (opts.signal?.aborted) return opts.jobs.get(jobId);
      const saved = await opts.jobs.update(jobId, (j) => withFollowError(j, describeError(err), now()));
      if (saved) opts.onUpdate?.(saved);
      if (!isTransientTrainerError(err)) return saved;
      failures += 1;
      delay = Math.min(maxBackoff, interval * 2 ** failures);
      if (err instanceof TrainerRateLimitError && err.retryAfterSeconds !== null) {
        delay = Math.max(delay, Math.min(maxBackoff, err.retryAfterSeconds * 1000));
      }
    }
    try {
      await wait(delay, opts.signal);
    } catch {
      return opts.jobs.get(jobId);
    }
  }
}

/** Cancels at the trainer and saves what it answered. */
export async function cancelTrainingJob(jobId: string, trainer: Trainer, jobs: TrainingJobs, now = Date.now): Promise<TrainingJob | undefined> {
  const job = await jobs.get(jobId);
  if (!job || isFinished(job.status)) return job;
  const snapshot = await trainer.cancel(job.remoteId);
  return jobs.update(jobId, (j) => applySnapshot(j, snapshot, now()));
}

/**
 * After a reload: follows every unfinished job again. `trainerFor` rebuilds the trainer from the
 * job's settings id and the remembered key; when it cannot (no key yet), the job says so.
 */
export async function resumeTrainingJobs(
  trainerFor: (job: TrainingJob) => Promise<Trainer | null>,
  opts: FollowOptions,
): Promise<Promise<TrainingJob | undefined>[]> {
  const followed: Promise<TrainingJob | undefined>[] = [];
  for (const job of await opts.jobs.list()) {
    if (isFinished(job.status)) continue;
    const trainer = await trainerFor(job);
    if (!trainer) {
      const saved = await opts.jobs.update(job.id, (j) => withFollowError(j, {
        name: 'TrainerKeyMissingError',
        message: 'This job is still running at the trainer, but its API key is not on this device. Enter the key in the trainer settings to follow it again.',
      }, (opts.now ?? Date.now)()));
      if (saved) opts.onUpdate?.(saved);
      continue;
    }
    followed.push(followTrainingJob(job.id, trainer, opts));
  }
  return followed;
}
