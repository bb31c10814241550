/**
 * The browser does not train: it hands curated data to a trainer the user configured, follows
 * the job and brings the model back. One port for every trainer — an OpenAI-compatible
 * fine-tuning API or our generic HTTP protocol (src/adapters/trainer/PROTOCOL.md) — so the jobs
 * view and the follower never care which one runs a job.
 *
 * Everything returned is plain data, already redacted. Environment failures throw the named
 * errors of src/core/training/errors.ts.
 */
import type { TrainingConfig } from '../core/training/config.ts';
import type { PreparedDataset } from '../core/training/dataset.ts';

export type TrainerKind = 'openai' | 'generic';

/** Our status vocabulary; each adapter maps its service's words onto it. */
export type TrainingStatus = 'uploading' | 'validating' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const FINISHED_STATUSES: readonly TrainingStatus[] = ['succeeded', 'failed', 'cancelled'];

/** A trainer the user configured (kept in project or app settings; never holds the key). */
export interface TrainerSettings {
  id: string;
  kind: TrainerKind;
  /** API base, e.g. https://api.openai.com/v1 or http://gpu-box:8000/api. */
  baseUrl: string;
  /** What the user calls it, for messages ("Trainer at gpu-box"). */
  label: string;
  /** Id the secret store keeps the key under; the key itself is never in settings. */
  secretId: string;
  /** OpenAI-compatible only: learning_rate_multiplier, or null for the service's default. */
  learningRateMultiplier?: number | null;
}

export interface TrainingSubmission {
  config: TrainingConfig;
  training: PreparedDataset;
  validation?: PreparedDataset;
  /** Short tag the trainer adds to the resulting model name. */
  suffix: string;
  signal?: AbortSignal;
}

export interface JobProgress {
  step: number;
  totalSteps: number | null;
}

export type ArtifactKind = 'adapter' | 'merged' | 'gguf' | 'mlc-weights' | 'mlc-lib' | 'log' | 'other';

export interface TrainerArtifact {
  kind: ArtifactKind;
  name: string;
  url: string;
  bytes?: number;
}

/** One look at a remote job. */
export interface JobSnapshot {
  remoteId: string;
  status: TrainingStatus;
  progress: JobProgress | null;
  /** The trained model's name at the service (OpenAI: fine_tuned_model), once known. */
  resultModel: string | null;
  /** An OpenAI-compatible API base that serves `resultModel`, when the trainer says (generic protocol). */
  resultEndpoint: string | null;
  /** Why the job failed, in the service's words (redacted). */
  failure: string | null;
  /** Uploaded file ids and the like, kept for reference. */
  remoteFiles: string[];
}

export interface LogLine {
  /** Stable id at the service, used to merge repeated reads. */
  id: string;
  time: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface MetricPoint {
  step: number;
  time: number;
  values: Record<string, number>;
}

export interface JobEvents {
  lines: LogLine[];
  metrics: MetricPoint[];
  /** Total steps of the run, when the events say (OpenAI metrics events carry it). */
  totalSteps?: number;
}

export interface Trainer {
  readonly kind: TrainerKind;
  /** Uploads the data and creates the job. Not retried automatically: a repeat could start two jobs. */
  submit(submission: TrainingSubmission): Promise<JobSnapshot>;
  status(remoteId: string, signal?: AbortSignal): Promise<JobSnapshot>;
  /** Recent log lines and metrics, oldest first. */
  events(remoteId: string, signal?: AbortSignal): Promise<JobEvents>;
  cancel(remoteId: string): Promise<JobSnapshot>;
  /** Files the job produced (adapter, merged weights, GGUF, MLC build...). */
  artifacts(remoteId: string, signal?: AbortSignal): Promise<TrainerArtifact[]>;
}
