import { describe, expect, it } from 'vitest';
import { newRun } from '../../../src/core/records.ts';
import { DEFAULT_TEMPLATES } from '../../../src/core/stages/prompts.ts';
import {
  augmentRunSettings, checkRunModel, curateRunSettings, runMode, runModel, tokensPerItem,
} from '../../../src/core/stages/run-settings.ts';
import { augmentConfig, curateConfig, model } from './runner-helpers.ts';

describe('run settings', () => {
  const aug = newRun('augment', 1, { template: DEFAULT_TEMPLATES['augment-prompted'], config: augmentConfig }, 5);
  const cur = newRun('curate', 1, { template: DEFAULT_TEMPLATES['curate-fast'], config: curateConfig, augmentRunId: aug.id }, 5);

  it('reads back what started a run', () => {
    expect(augmentRunSettings(aug)).toEqual({ template: DEFAULT_TEMPLATES['augment-prompted'], config: augmentConfig });
    expect(curateRunSettings(cur)).toEqual({ template: DEFAULT_TEMPLATES['curate-fast'], config: curateConfig, augmentRunId: aug.id });
    expect([runMode(aug), runMode(cur)]).toEqual(['prompted', 'fast']);
    expect(runModel(cur)).toEqual(model);
  });

  it('refuses incomplete settings with a message that says what to do', () => {
    expect(() => curateRunSettings(aug)).toThrow(`Run ${aug.id} cannot be resumed: its stored settings are incomplete (it is a augment run).`);
    const bare = newRun('curate', 1, { template: DEFAULT_TEMPLATES['curate-fast'], config: curateConfig }, 5);
    expect(() => curateRunSettings(bare)).toThrow(/\(no candidates run\)\. Start a new run instead/);
    const noTemplate = newRun('augment', 1, { config: augmentConfig }, 5);
    expect(() => augmentRunSettings(noTemplate)).toThrow(/no prompt template/);
    expect(runMode(noTemplate)).toBeUndefined();
  });

  it('a run keeps one model', () => {
    expect(() => checkRunModel(aug, model)).not.toThrow();
    expect(() => checkRunModel(aug, { engine: 'openai', model: 'scripted-1' })).toThrow(
      `Run ${aug.id} was started with scripted-1 (scripted), but scripted-1 (openai) is loaded now.`,
    );
  });

  it('tokens per finished item', () => {
    expect(tokensPerItem(aug)).toBeNull();
    expect(tokensPerItem({ ...aug, progress: { ...aug.progress, done: 4, tokens: 10 } })).toBe(2.5);
  });
});
