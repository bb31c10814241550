/**
 * The OpenAI fine-tuning API (and services that mirror it): upload JSONL files with purpose
 * `fine-tune`, create a supervised job, read the job and its events, cancel. OpenAI trains its
 * own way and rejects unknown parameters, so no LoRA settings are sent (an earlier option put
 * lora_r & co. in the hyperparameters for "Together-style" services; no service reads them
 * there, so it is gone). OpenAI has no absolute learning rate either: a multiplier is sent only
 * when the user sets one, and steps become epochs.
 *
 * Ranges, from the API reference (platform.openai.com/docs/api-reference/fine-tuning/create, the
 * FineTuneSupervisedHyperparameters and CreateFineTuningJobRequest schemas of openai/openai-openapi):
 * n_epochs 1–50, batch_size 1–256, learning_rate_multiplier > 0, seed 0–2147483647, suffix up to
 * 64 characters. Values outside are clamped here, so a job is never refused for them.
 */
import type { TrainingConfig } from '../../core/training/config.ts';
import type { PreparedDataset } from '../../core/training/dataset.ts';
import { mapOpenAiStatus } from '../../core/training/job.ts';
import type { JobEvents, JobSnapshot, LogLine, MetricPoint, Trainer, TrainerArtifact, TrainingSubmission } from '../../ports/trainer.ts';
import { TrainerHttp, type HttpOptions } from './http.ts';

export interface OpenAiTrainerSettings {
  baseUrl: string;
  label: string;
  apiKey: string | null;
  /** OpenAI's learning_rate_multiplier; null leaves it to the service ("auto"). */
  learningRateMultiplier?: number | null;
}

interface OpenAiJob {
  id: string;
  status: string;
  fine_tuned_model?: string | null;
  training_file?: string | null;
  validation_file?: string | null;
  result_files?: string[];
  error?: { code?: string; message?: string } | null;
}

interface OpenAiEvent {
  id: string;
  created_at: number;
  level?: string;
  message?: string;
  type?: string;
  data?: Record<string, unknown> | null;
}

/** What the API accepts (see the module comment). */
export const OPENAI_LIMITS = { epochs: [1, 50], batchSize: [1, 256], seed: [0, 2_147_483_647], suffixChars: 64 } as const;

const clampInt = (n: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(n) ? n : lo)));

/** OpenAI counts epochs: steps × batch over the examples, rounded up, 1..50. */
export function epochsFor(config: TrainingConfig, examples: number): number {
  const epochs = config.length.unit === 'epochs'
    ? config.length.epochs
    : (config.length.steps * config.batchSize) / Math.max(1, examples);
  return clampInt(Math.ceil(epochs - 1e-9), OPENAI_LIMITS.epochs);
}

export function openAiJobBody(s: TrainingSubmission, files: { training: string; validation: string | null }, settings: OpenAiTrainerSettings): Record<string, unknown> {
  const c = s.config;
  const hyper: Record<string, unknown> = { n_epochs: epochsFor(c, s.training.examples), batch_size: clampInt(c.batchSize, OPENAI_LIMITS.batchSize) };
  const lrm = settings.learningRateMultiplier;
  if (typeof lrm === 'number' && Number.isFinite(lrm) && lrm > 0) hyper.learning_rate_multiplier = lrm;
  const body: Record<string, unknown> = {
    model: c.baseModel,
    training_file: files.training,
    suffix: s.suffix.slice(0, OPENAI_LIMITS.suffixChars),
    seed: clampInt(c.seed, OPENAI_LIMITS.seed),
    method: { type: 'supervised', supervised: { hyperparameters: hyper } },
  };
  if (files.validation) body.validation_file = files.validation;
  return body;
}

const levelOf = (l: string | undefined): LogLine['level'] => (l === 'warn' || l === 'error' ? l : 'info');

export class OpenAiFineTuningTrainer implements Trainer {
  readonly kind = 'openai' as const;
  readonly #http: TrainerHttp;
  readonly #settings: OpenAiTrainerSettings;

  constructor(settings: OpenAiTrainerSettings, http: HttpOptions = {}) {
    this.#settings = settings;
    this.#http = new TrainerHttp(settings.label, settings.baseUrl, settings.apiKey, http);
  }

  async #upload(data: PreparedDataset, name: string, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('purpose', 'fine-tune');
    form.append('file', data.blob, name);
    const file = await this.#http.json<{ id: string }>({ method: 'POST', path: '/files', body: form, signal, what: 'file upload endpoint' });
    return file.id;
  }

  #snapshot(j: OpenAiJob): JobSnapshot {
    return this.#http.redact({
      remoteId: j.id,
      status: mapOpenAiStatus(j.status),
      progress: null,
      resultModel: j.fine_tuned_model ?? null,
      resultEndpoint: null,
      failure: j.error?.message ?? (j.status === 'failed' ? 'The job failed without saying why.' : null),
      remoteFiles: [j.training_file, j.validation_file].filter((f): f is string => typeof f === 'string'),
    });
  }

  async submit(s: TrainingSubmission): Promise<JobSnapshot> {
    const training = await this.#upload(s.training, `${s.config.purpose}-train.jsonl`, s.signal);
    const validation = s.validation ? await this.#upload(s.validation, `${s.config.purpose}-validation.jsonl`, s.signal) : null;
    const job = await this.#http.json<OpenAiJob>({
      method: 'POST',
      path: '/fine_tuning/jobs',
      body: openAiJobBody(s, { training, validation }, this.#settings),
      signal: s.signal,
      what: 'fine-tuning endpoint',
    });
    return this.#snapshot(job);
  }

  async status(remoteId: string, signal?: AbortSignal): Promise<JobSnapshot> {
    const path = `/fine_tuning/jobs/${encodeURIComponent(remoteId)}`;
    return this.#snapshot(await this.#http.json<OpenAiJob>({ method: 'GET', path, signal, what: `fine-tuning job ${remoteId}` }));
  }

  async events(remoteId: string, signal?: AbortSignal): Promise<JobEvents> {
    const path = `/fine_tuning/jobs/${encodeURIComponent(remoteId)}/events?limit=100`;
    const page = await this.#http.json<{ data: OpenAiEvent[] }>({ method: 'GET', path, signal, what: `fine-tuning job ${remoteId}` });
    // The API lists newest first.
    const events = [...page.data].sort((a, b) => a.created_at - b.created_at);
    const lines: LogLine[] = [];
    const metrics: MetricPoint[] = [];
    let totalSteps: number | undefined;
    for (const e of events) {
      const time = e.created_at * 1000;
      lines.push({ id: e.id, time, level: levelOf(e.level), message: e.message ?? '' });
      if (e.type === 'metrics' && e.data && typeof e.data.step === 'number') {
        const values: Record<string, number> = {};
        for (const [k, v] of Object.entries(e.data)) {
          if (typeof v === 'number' && k !== 'step' && k !== 'total_steps') values[k] = v;
        }
        metrics.push({ step: e.data.step, time, values });
        if (typeof e.data.total_steps === 'number') totalSteps = e.data.total_steps;
      }
    }
    const out: JobEvents = { lines, metrics };
    if (totalSteps !== undefined) out.totalSteps = totalSteps;
    return this.#http.redact(out);
  }

  async cancel(remoteId: string): Promise<JobSnapshot> {
    const path = `/fine_tuning/jobs/${encodeURIComponent(remoteId)}/cancel`;
    return this.#snapshot(await this.#http.json<OpenAiJob>({ method: 'POST', path, what: `fine-tuning job ${remoteId}` }));
  }

  /** OpenAI keeps the model on its side; the only files are the result (metrics) files. */
  async artifacts(remoteId: string, signal?: AbortSignal): Promise<TrainerArtifact[]> {
    const path = `/fine_tuning/jobs/${encodeURIComponent(remoteId)}`;
    const job = await this.#http.json<OpenAiJob>({ method: 'GET', path, signal, what: `fine-tuning job ${remoteId}` });
    return (job.result_files ?? []).map((id) => ({ kind: 'log' as const, name: id, url: `${this.#http.baseUrl}/files/${encodeURIComponent(id)}/content` }));
  }
}
