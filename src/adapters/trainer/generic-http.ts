/**
 * Client for our own small trainer protocol (PROTOCOL.md next to this file), for people who wrap
 * an Axolotl, TRL or LLaMA-Factory box of their own. Unlike the OpenAI API it carries our whole
 * TrainingConfig (LoRA rank, schedule, sequence length...), reports step progress directly and
 * lists the files the job produced, which is how a trained model comes back as a GGUF or a
 * web-llm build.
 */
import type { DatasetFormat } from '../../core/training/dataset.ts';
import { mapGenericStatus } from '../../core/training/job.ts';
import type { ArtifactKind, JobEvents, JobSnapshot, LogLine, MetricPoint, Trainer, TrainerArtifact, TrainingSubmission } from '../../ports/trainer.ts';
import { TrainerHttp, type HttpOptions } from './http.ts';

export const GENERIC_PROTOCOL = 'humpback-trainer/1';

export interface GenericTrainerSettings {
  baseUrl: string;
  label: string;
  /** Optional bearer token; many home boxes run without one. */
  apiKey: string | null;
}

interface GenericJob {
  id: string;
  status: string;
  progress?: { step: number; total_steps: number | null } | null;
  model?: string | null;
  endpoint?: string | null;
  error?: string | null;
  files?: string[];
}

interface GenericLogs {
  lines: { seq: number; time: number; level?: string; message: string }[];
  metrics: { step: number; time: number; values: Record<string, number> }[];
  total_steps?: number | null;
}

const ARTIFACT_KINDS: readonly ArtifactKind[] = ['adapter', 'merged', 'gguf', 'mlc-weights', 'mlc-lib', 'log', 'other'];

/** The `config` part of the create-job request. */
export interface GenericJobRequest {
  protocol: typeof GENERIC_PROTOCOL;
  config: TrainingSubmission['config'];
  suffix: string;
  dataset: { format: DatasetFormat; examples: number; validationExamples: number | null };
}

export class GenericHttpTrainer implements Trainer {
  readonly kind = 'generic' as const;
  readonly #http: TrainerHttp;

  constructor(settings: GenericTrainerSettings, http: HttpOptions = {}) {
    this.#http = new TrainerHttp(settings.label, settings.baseUrl, settings.apiKey, http);
  }

  #snapshot(j: GenericJob): JobSnapshot {
    const status = mapGenericStatus(j.status);
    return this.#http.redact({
      remoteId: j.id,
      status,
      progress: j.progress ? { step: j.progress.step, totalSteps: j.progress.total_steps ?? null } : null,
      resultModel: j.model ?? null,
      resultEndpoint: j.endpoint ?? null,
      failure: j.error ?? (status === 'failed' ? 'The job failed without saying why.' : null),
      remoteFiles: j.files ?? [],
    });
  }

  #jobPath(id: string, rest = ''): string {
    return `/jobs/${encodeURIComponent(id)}${rest}`;
  }

  async submit(s: TrainingSubmission): Promise<JobSnapshot> {
    const request: GenericJobRequest = {
      protocol: GENERIC_PROTOCOL,
      config: s.config,
      suffix: s.suffix,
      dataset: { format: s.training.format, examples: s.training.examples, validationExamples: s.validation?.examples ?? null },
    };
    const form = new FormData();
    form.append('config', JSON.stringify(request));
    form.append('train', s.training.blob, 'train.jsonl');
    if (s.validation) form.append('validation', s.validation.blob, 'validation.jsonl');
    const job = await this.#http.json<GenericJob>({ method: 'POST', path: '/jobs', body: form, signal: s.signal, what: 'jobs endpoint' });
    return this.#snapshot(job);
  }

  async status(remoteId: string, signal?: AbortSignal): Promise<JobSnapshot> {
    return this.#snapshot(await this.#http.json<GenericJob>({ method: 'GET', path: this.#jobPath(remoteId), signal, what: `job ${remoteId}` }));
  }

  async events(remoteId: string, signal?: AbortSignal): Promise<JobEvents> {
    const logs = await this.#http.json<GenericLogs>({ method: 'GET', path: this.#jobPath(remoteId, '/logs?limit=100'), signal, what: `job ${remoteId}` });
    const lines: LogLine[] = logs.lines.map((l) => ({
      id: String(l.seq),
      time: l.time,
      level: l.level === 'warn' || l.level === 'error' ? l.level : 'info',
      message: l.message,
    }));
    const metrics: MetricPoint[] = logs.metrics.map((m) => ({ step: m.step, time: m.time, values: { ...m.values } }));
    const out: JobEvents = { lines, metrics };
    if (typeof logs.total_steps === 'number') out.totalSteps = logs.total_steps;
    return this.#http.redact(out);
  }

  async cancel(remoteId: string): Promise<JobSnapshot> {
    return this.#snapshot(await this.#http.json<GenericJob>({ method: 'POST', path: this.#jobPath(remoteId, '/cancel'), what: `job ${remoteId}` }));
  }

  async artifacts(remoteId: string, signal?: AbortSignal): Promise<TrainerArtifact[]> {
    const res = await this.#http.json<{ artifacts: { kind: string; name: string; url: string; bytes?: number }[] }>({
      method: 'GET',
      path: this.#jobPath(remoteId, '/artifacts'),
      signal,
      what: `job ${remoteId}`,
    });
    // Relative URLs are relative to the API base.
    const base = this.#http.baseUrl + '/';
    return this.#http.redact(
      res.artifacts.map((a) => {
        const out: TrainerArtifact = {
          kind: ARTIFACT_KINDS.includes(a.kind as ArtifactKind) ? (a.kind as ArtifactKind) : 'other',
          name: a.name,
          url: new URL(a.url, base).href,
        };
        if (typeof a.bytes === 'number') out.bytes = a.bytes;
        return out;
      }),
    );
  }
}
