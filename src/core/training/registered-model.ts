/**
 * Closing the paper's loop: a finished job's model becomes the backward model or the curator of
 * the next round. The engines need different things to load it — an endpoint and model name
 * (OpenAI-compatible), a web-llm model id with its weights and model-library URLs, or a GGUF URL
 * for llama.cpp in WebAssembly — so a registered model carries an `EngineModel` saying which.
 * Pure functions: the state layer stores the result and hands `ref` to the engine picker.
 */
import type { ModelRef } from '../records.ts';
import { newId } from '../records.ts';
import { fail, ok, type Issue, type Result } from '../result.ts';
import type { TrainingPurpose } from './config.ts';
import type { TrainingJob } from './job.ts';

export type EngineModel =
  /** `baseUrl` is the OpenAI-compatible API base that serves `model`. */
  | { engine: 'openai'; model: string; baseUrl: string }
  /** A web-llm `ModelRecord`: model_id, model (weights URL), model_lib (wasm URL). */
  | { engine: 'webllm'; model: string; modelUrl: string; modelLibUrl: string }
  | { engine: 'wllama'; model: string; ggufUrl: string };

export const REGISTERED_MODEL_SCHEMA_VERSION = 1 as const;

export interface RegisteredModel {
  schemaVersion: typeof REGISTERED_MODEL_SCHEMA_VERSION;
  id: string;
  label: string;
  /** What it was trained as; the picker offers backward models for augmentation, forward ones for curation. */
  purpose: TrainingPurpose;
  jobId: string | null;
  engine: EngineModel;
  registeredAt: number;
}

/** The short reference the Llm port and the records (Candidate, Rating provenance) use. */
export function toModelRef(m: EngineModel): ModelRef {
  return { engine: m.engine, model: m.model };
}

const isHttpUrl = (u: string) => {
  try {
    const p = new URL(u).protocol;
    return p === 'http:' || p === 'https:';
  } catch {
    return false;
  }
};

function checkEngineModel(m: EngineModel): Issue | null {
  if (m.model.trim() === '') return { code: 'model-name-missing', message: 'Give the model a name.' };
  const urls: [string, string][] =
    m.engine === 'openai' ? [['endpoint', m.baseUrl]]
    : m.engine === 'webllm' ? [['model weights URL', m.modelUrl], ['model library URL', m.modelLibUrl]]
    : [['GGUF URL', m.ggufUrl]];
  for (const [what, url] of urls) {
    if (!isHttpUrl(url)) return { code: 'url-invalid', at: what, message: `The ${what} must be an http(s) address; got "${url}".` };
  }
  if (m.engine === 'wllama' && !/\.gguf(\?|#|$)/i.test(new URL(m.ggufUrl).pathname + new URL(m.ggufUrl).search)) {
    return { code: 'not-gguf', at: 'GGUF URL', message: 'The GGUF URL must point at a .gguf file.' };
  }
  if (m.engine === 'webllm' && !/\.wasm$/i.test(new URL(m.modelLibUrl).pathname)) {
    return { code: 'not-wasm', at: 'model library URL', message: 'The web-llm model library URL must point at a .wasm file.' };
  }
  return null;
}

/**
 * Every way the engines could load what this job produced, best first: the served model name
 * (OpenAI-compatible), a web-llm build (weights + model library artifacts), a GGUF file.
 * `trainerBaseUrl` is the OpenAI-compatible trainer's API base, which also serves its models.
 */
export function modelChoices(job: TrainingJob, trainerBaseUrl: string): EngineModel[] {
  if (job.status !== 'succeeded') return [];
  const out: EngineModel[] = [];
  const name = job.resultModel ?? `${job.purpose}-${job.suffix || job.remoteId}`;
  if (job.resultModel !== null) {
    if (job.trainerKind === 'openai') out.push({ engine: 'openai', model: job.resultModel, baseUrl: trainerBaseUrl });
    else if (job.resultEndpoint !== null) out.push({ engine: 'openai', model: job.resultModel, baseUrl: job.resultEndpoint });
  }
  const weights = job.artifacts.find((a) => a.kind === 'mlc-weights');
  const lib = job.artifacts.find((a) => a.kind === 'mlc-lib');
  if (weights && lib) out.push({ engine: 'webllm', model: name, modelUrl: weights.url, modelLibUrl: lib.url });
  for (const g of job.artifacts.filter((a) => a.kind === 'gguf')) out.push({ engine: 'wllama', model: name, ggufUrl: g.url });
  return out.filter((m) => checkEngineModel(m) === null);
}

/**
 * Registers a model from a finished job (`job`) or typed in by hand (`job` null: a model the user
 * trained from the bundle). Returns an issue when the job has not succeeded or a URL is unusable.
 */
export function registerModel(
  job: TrainingJob | null,
  engine: EngineModel,
  opts: { label?: string; purpose?: TrainingPurpose } = {},
  now = Date.now(),
): Result<RegisteredModel, Issue> {
  if (job !== null && job.status !== 'succeeded') {
    return fail({ code: 'job-not-succeeded', message: `This job is ${job.status}; only a job that succeeded has a model to register.` });
  }
  const purpose = job?.purpose ?? opts.purpose;
  if (purpose === undefined) return fail({ code: 'purpose-missing', message: 'Say whether this is a backward model or a forward (curator) model.' });
  const issue = checkEngineModel(engine);
  if (issue) return fail(issue);
  return ok({
    schemaVersion: REGISTERED_MODEL_SCHEMA_VERSION,
    id: newId('m_'),
    label: opts.label?.trim() || `${engine.model} (${purpose})`,
    purpose,
    jobId: job?.id ?? null,
    engine,
    registeredAt: now,
  });
}
