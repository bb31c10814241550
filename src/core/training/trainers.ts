/**
 * The trainers a user configures, and the plain words the jobs view says about them. A trainer
 * profile is saved with the project settings and never holds its API key — only the id the
 * secret store keeps the key under (METHOD.md: one implementation hard-coded its key). The
 * words here are what a person reads on a job card: a status, how far it got, and for a
 * following error a short title above the error's own message (which says what to do).
 */
import type { TrainerKind, TrainerSettings, TrainingStatus } from '../../ports/trainer.ts';
import { newId } from '../records.ts';
import type { Issue } from '../result.ts';
import type { TrainingPurpose } from './config.ts';
import type { TrainingJob } from './job.ts';
import type { EngineModel } from './registered-model.ts';

export interface TrainerDraft {
  kind: TrainerKind;
  label: string;
  baseUrl: string;
}

/** Problems with a draft, as issues the form shows; empty when it can be saved. */
export function validateTrainerDraft(d: TrainerDraft): Issue[] {
  const issues: Issue[] = [];
  if (d.label.trim() === '') issues.push({ code: 'label-missing', at: 'label', message: 'Give the trainer a name, e.g. "OpenAI" or "GPU box".' });
  let url: URL | null = null;
  try {
    url = new URL(d.baseUrl.trim());
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    issues.push({ code: 'url-invalid', at: 'baseUrl', message: 'The API base must be an http(s) address, e.g. https://api.openai.com/v1 or http://gpu-box:8000/api.' });
  } else if (url.username !== '' || url.password !== '') {
    issues.push({ code: 'url-has-credentials', at: 'baseUrl', message: 'Put the key in the API key field, not in the address: the address is saved with the project.' });
  }
  return issues;
}

/** A profile from a draft; `existing` keeps the id (and so the stored key) when editing. */
export function trainerSettingsOf(d: TrainerDraft, existing?: TrainerSettings): TrainerSettings {
  const id = existing?.id ?? newId('tr_');
  const out: TrainerSettings = {
    id,
    kind: d.kind,
    label: d.label.trim(),
    baseUrl: d.baseUrl.trim().replace(/\/+$/, ''),
    secretId: existing?.secretId ?? `trainer:${id}`,
  };
  if (d.kind === 'openai') {
    out.learningRateMultiplier = existing?.learningRateMultiplier ?? null;
  }
  return out;
}

export const STATUS_WORDS: Readonly<Record<TrainingStatus, string>> = {
  uploading: 'Uploading data',
  validating: 'Checking the data',
  queued: 'Waiting for the trainer',
  running: 'Training',
  succeeded: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** "Step 2 of 3", "Step 7", or '' before the first step. */
export function stepWords(job: Pick<TrainingJob, 'progress'>): string {
  const p = job.progress;
  if (!p || (p.step === 0 && p.totalSteps === null)) return '';
  return p.totalSteps ? `Step ${p.step} of ${p.totalSteps}` : `Step ${p.step}`;
}

const FOLLOW_TITLES: Readonly<Record<string, string>> = {
  TrainerAuthError: 'The trainer did not accept the API key',
  TrainerNotFoundError: 'The trainer does not know this job or address',
  TrainerRateLimitError: 'The trainer asked us to slow down',
  TrainerServerError: 'The trainer had a problem on its side',
  TrainerUnreachableError: 'The trainer cannot be reached',
  TrainerRejectedError: 'The trainer rejected the request',
  TrainerKeyMissingError: 'The API key is needed to follow this job',
};

/** A short title for an error met while talking to a trainer. */
export function trainerErrorTitle(name: string): string {
  return FOLLOW_TITLES[name] ?? 'Following this job failed';
}

/** Latest value of each metric ("loss 1.25"), in the order the trainer named them. */
export function latestMetrics(job: Pick<TrainingJob, 'metrics'>): { name: string; value: number; step: number }[] {
  const seen = new Map<string, { name: string; value: number; step: number }>();
  for (const m of job.metrics) {
    for (const [name, value] of Object.entries(m.values)) {
      if (Number.isFinite(value)) seen.set(name, { name, value, step: m.step });
    }
  }
  return [...seen.values()];
}

/** Where an engine would load a registered model from, in words. */
export function engineWords(m: EngineModel): string {
  switch (m.engine) {
    case 'openai': return `endpoint model ${m.model} at ${m.baseUrl}`;
    case 'webllm': return `web-llm build ${m.model} (weights ${m.modelUrl}, library ${m.modelLibUrl})`;
    case 'wllama': return `GGUF file ${m.ggufUrl}`;
  }
}

export const PURPOSE_WORDS: Readonly<Record<TrainingPurpose, string>> = {
  backward: 'backward model (writes instructions)',
  forward: 'forward model (answers and rates)',
};
