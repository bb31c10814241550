/**
 * A training job as the app remembers it: which trainer runs it, what it trains, and the latest
 * of what the trainer said — status, progress, the last log lines and metrics, the resulting
 * model. The record is persisted and re-followed after a reload, so it holds only plain data,
 * and it is rebuilt by pure reducers (`applySnapshot`, `applyEvents`) from what each poll returns.
 */
import type { JobEvents, JobProgress, JobSnapshot, LogLine, MetricPoint, TrainerArtifact, TrainerKind, TrainingStatus } from '../../ports/trainer.ts';
import { FINISHED_STATUSES } from '../../ports/trainer.ts';
import { newId } from '../records.ts';
import type { TrainingConfig, TrainingPurpose } from './config.ts';

export const TRAINING_JOB_SCHEMA_VERSION = 1 as const;
/** Log lines and metric points a record keeps; older ones stay at the trainer. */
export const KEPT_LOG_LINES = 50;
export const KEPT_METRICS = 500;

export interface TrainingJob {
  schemaVersion: typeof TRAINING_JOB_SCHEMA_VERSION;
  id: string;
  /** Which configured trainer runs it (settings id) and of what kind. */
  trainerId: string;
  trainerKind: TrainerKind;
  remoteId: string;
  purpose: TrainingPurpose;
  config: TrainingConfig;
  dataset: { examples: number; bytes: number; validationExamples: number | null };
  suffix: string;
  status: TrainingStatus;
  progress: JobProgress | null;
  logs: LogLine[];
  metrics: MetricPoint[];
  resultModel: string | null;
  resultEndpoint: string | null;
  artifacts: TrainerArtifact[];
  remoteFiles: string[];
  /** Why the job failed at the trainer. */
  failure: string | null;
  /** The last error following it (network, 401...), cleared by the next good poll. */
  followError: { name: string; message: string } | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export function isFinished(status: TrainingStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export interface NewJobInput {
  trainerId: string;
  trainerKind: TrainerKind;
  config: TrainingConfig;
  dataset: TrainingJob['dataset'];
  suffix: string;
  snapshot: JobSnapshot;
}

export function newTrainingJob(input: NewJobInput, now = Date.now()): TrainingJob {
  const base: TrainingJob = {
    schemaVersion: TRAINING_JOB_SCHEMA_VERSION,
    id: newId('t_'),
    trainerId: input.trainerId,
    trainerKind: input.trainerKind,
    remoteId: input.snapshot.remoteId,
    purpose: input.config.purpose,
    config: input.config,
    dataset: input.dataset,
    suffix: input.suffix,
    status: 'queued',
    progress: null,
    logs: [],
    metrics: [],
    resultModel: null,
    resultEndpoint: null,
    artifacts: [],
    remoteFiles: [],
    failure: null,
    followError: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  return applySnapshot(base, input.snapshot, now);
}

/** Folds one status read into the record. A finished job never goes back to running. */
export function applySnapshot(job: TrainingJob, s: JobSnapshot, now = Date.now()): TrainingJob {
  if (isFinished(job.status) && !isFinished(s.status)) return { ...job, followError: null, updatedAt: now };
  const finished = isFinished(s.status);
  return {
    ...job,
    status: s.status,
    progress: s.progress ?? job.progress,
    resultModel: s.resultModel ?? job.resultModel,
    resultEndpoint: s.resultEndpoint ?? job.resultEndpoint,
    failure: s.failure ?? job.failure,
    remoteFiles: s.remoteFiles.length > 0 ? s.remoteFiles : job.remoteFiles,
    followError: null,
    updatedAt: now,
    finishedAt: finished ? (job.finishedAt ?? now) : null,
  };
}

/** Merges newly read log lines and metrics (repeats are dropped by id / step), keeping the latest. */
export function applyEvents(job: TrainingJob, e: JobEvents, now = Date.now()): TrainingJob {
  const seenLines = new Set(job.logs.map((l) => l.id));
  const logs = [...job.logs, ...e.lines.filter((l) => !seenLines.has(l.id))]
    .sort((a, b) => a.time - b.time)
    .slice(-KEPT_LOG_LINES);
  const byStep = new Map(job.metrics.map((m) => [m.step, m]));
  for (const m of e.metrics) byStep.set(m.step, { ...m, values: { ...byStep.get(m.step)?.values, ...m.values } });
  const metrics = [...byStep.values()].sort((a, b) => a.step - b.step).slice(-KEPT_METRICS);
  const last = metrics[metrics.length - 1];
  // Metrics often carry the step count before the status read does.
  const totalSteps = e.totalSteps ?? job.progress?.totalSteps ?? null;
  const step = Math.max(last?.step ?? 0, job.progress?.step ?? 0);
  const progress = last || e.totalSteps !== undefined ? { step, totalSteps } : job.progress;
  return { ...job, logs, metrics, progress, updatedAt: now };
}

export function withFollowError(job: TrainingJob, err: { name: string; message: string }, now = Date.now()): TrainingJob {
  return { ...job, followError: { name: err.name, message: err.message }, updatedAt: now };
}

/** Fraction done, 0..1, or null when the trainer does not say how long the job is. */
export function progressFraction(job: Pick<TrainingJob, 'status' | 'progress'>): number | null {
  if (job.status === 'succeeded') return 1;
  const p = job.progress;
  if (!p || !p.totalSteps) return null;
  return Math.min(1, Math.max(0, p.step / p.totalSteps));
}

/** OpenAI fine-tuning job statuses → ours. Unknown words count as queued (still waiting on the service). */
export function mapOpenAiStatus(status: string): TrainingStatus {
  switch (status) {
    case 'validating_files': return 'validating';
    case 'queued': return 'queued';
    case 'running': return 'running';
    case 'succeeded': return 'succeeded';
    case 'failed': return 'failed';
    case 'cancelled': return 'cancelled';
    default: return 'queued';
  }
}

/** Generic-protocol statuses → ours (PROTOCOL.md lists them). */
export function mapGenericStatus(status: string): TrainingStatus {
  switch (status) {
    case 'queued': return 'queued';
    case 'preparing': return 'validating';
    case 'running': return 'running';
    case 'succeeded': return 'succeeded';
    case 'failed': return 'failed';
    case 'cancelled': return 'cancelled';
    default: return 'queued';
  }
}

/** Records the files a finished job produced. */
export function applyArtifacts(job: TrainingJob, artifacts: TrainerArtifact[], now = Date.now()): TrainingJob {
  return { ...job, artifacts, updatedAt: now };
}
