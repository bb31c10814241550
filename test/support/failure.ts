/**
 * The error a promise ends with, as name + message (what crosses a worker boundary), for tests
 * that assert on named errors. A promise that resolves fails the test.
 */
import { describeError } from '../../src/core/errors.ts';

export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return describeError(err);
  }
  throw new Error('expected a failure');
}
