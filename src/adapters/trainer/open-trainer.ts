/**
 * Builds the trainer for a configured profile, with its key from the secret store. Used when
 * submitting and, after a reload, by `resumeTrainingJobs` to find each job's trainer again.
 * Returns null when an OpenAI-compatible trainer has no key on this device (the jobs view then
 * asks for it); a generic trainer may run without one.
 */
import type { Trainer, TrainerSettings } from '../../ports/trainer.ts';
import { GenericHttpTrainer } from './generic-http.ts';
import type { HttpOptions } from './http.ts';
import { OpenAiFineTuningTrainer } from './openai-finetune.ts';
import type { SecretStore } from './secrets.ts';

export async function openTrainer(settings: TrainerSettings, secrets: SecretStore, http: HttpOptions = {}): Promise<Trainer | null> {
  const apiKey = await secrets.get(settings.secretId);
  if (settings.kind === 'openai') {
    if (apiKey === null) return null;
    return new OpenAiFineTuningTrainer({
      baseUrl: settings.baseUrl,
      label: settings.label,
      apiKey,
      learningRateMultiplier: settings.learningRateMultiplier ?? null,
    }, http);
  }
  return new GenericHttpTrainer({ baseUrl: settings.baseUrl, label: settings.label, apiKey }, http);
}

/** `trainerFor` for resumeTrainingJobs: looks the job's trainer up by settings id. */
export function trainerLookup(all: readonly TrainerSettings[], secrets: SecretStore, http: HttpOptions = {}) {
  return async (job: { trainerId: string }): Promise<Trainer | null> => {
    const settings = all.find((s) => s.id === job.trainerId);
    return settings ? openTrainer(settings, secrets, http) : null;
  };
}
