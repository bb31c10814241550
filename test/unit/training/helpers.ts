/** Shared bits of the trainer adapter tests: data, a recording clock, and an error catcher. */
import { defaultTrainingConfig, type TrainingConfig } from '../../../src/core/training/config.ts';
import { prepareDataset, type PreparedDataset } from '../../../src/core/training/dataset.ts';

export const KEY = 'sk-test-humpback-0123456789abcdef';

export const chatLine = (i: number) =>
  JSON.stringify({ messages: [{ role: 'user', content: `Write about topic ${i}.` }, { role: 'assistant', content: `Topic ${i} is...` }] });

export async function dataset(n: number): Promise<PreparedDataset> {
  const r = await prepareDataset(Array.from({ length: n }, (_, i) => chatLine(i)));
  if (!r.ok) throw new Error(r.issue.message);
  return r.value;
}

export function forwardConfig(baseModel = 'gpt-4o-mini-2024-07-18'): TrainingConfig {
  return { ...defaultTrainingConfig({ purpose: 'forward', examples: 40, baseModel }), length: { unit: 'epochs', epochs: 3 } };
}

/** A clock for retry waits: records each wait and returns at once (tests never wait on wall time). */
export function recordingSleep() {
  const waits: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw new Error('aborted');
    waits.push(ms);
  };
  return { waits, sleep };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
