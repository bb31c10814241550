import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTrainer, trainerLookup } from '../../../src/adapters/trainer/open-trainer.ts';
import { TrainerSecrets } from '../../../src/adapters/trainer/secrets.ts';
import type { TrainerSettings } from '../../../src/ports/trainer.ts';
import { startTrainerServer, type TrainerServer } from '../../support/trainer-server.ts';
import { dataset, forwardConfig, KEY } from './helpers.ts';

let server: TrainerServer;
beforeEach(async () => {
  server = await startTrainerServer({ apiKey: KEY });
});
afterEach(() => server.close());

const settings = (kind: 'openai' | 'generic'): TrainerSettings => ({
  id: kind, kind, baseUrl: kind === 'openai' ? server.openaiBase : server.genericBase, label: kind, secretId: `key:${kind}`, learningRateMultiplier: 2,
});

describe('openTrainer', () => {
  it('builds each kind with the key from the secret store', async () => {
    const secrets = new TrainerSecrets(null);
    expect(await openTrainer(settings('openai'), secrets)).toBeNull();
    await secrets.set('key:openai', KEY, { remember: true }); // no persistence: stays in memory
    await secrets.set('key:generic', KEY, { remember: false });
    const openai = await openTrainer(settings('openai'), secrets);
    const generic = await trainerLookup([settings('openai'), settings('generic')], secrets)({ trainerId: 'generic' });
    expect([openai?.kind, generic?.kind]).toEqual(['openai', 'generic']);
    await openai?.submit({ config: forwardConfig(), training: await dataset(2), suffix: 'o' });
    const hyper = (server.requests.at(-1)?.json as { method: { supervised: { hyperparameters: Record<string, unknown> } } }).method.supervised.hyperparameters;
    expect(hyper).toEqual({ n_epochs: 3, batch_size: 8, learning_rate_multiplier: 2 });
    expect((await generic?.submit({ config: forwardConfig(), training: await dataset(2), suffix: 'g' }))?.status).toBe('queued');
    expect(await trainerLookup([], secrets)({ trainerId: 'gone' })).toBeNull();
    expect(await new TrainerSecrets(null).get('key:openai')).toBeNull();
  });
});
