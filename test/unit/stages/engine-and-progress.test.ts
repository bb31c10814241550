import { describe, expect, it } from 'vitest';
import { MemoryProjectStore } from '../../../src/adapters/memory-store.ts';
import { ScriptedLlm, approxTokens } from '../../../src/adapters/scripted-llm.ts';
import { SCHEMA_VERSION, type Segment } from '../../../src/core/records.ts';
import { classifyEngineError, retryDelay } from '../../../src/core/stages/engine-errors.ts';
import { augmentInputs, chunksOf } from '../../../src/core/stages/inputs.ts';
import { runStage, type StageProgress } from '../../../src/core/stages/runner.ts';
import { augment, augmentConfig, augmentReply, augmentRun, segments, seqOf } from './runner-helpers.ts';

describe('scripted engine', () => {
  it('replies from its script with approximate usage, and throws scripted errors by name', async () => {
    const llm = new ScriptedLlm((req, call) => (call === 1 ? { error: { name: 'EndpointTimeoutError', message: 'slow', retryAfterMs: 5 } } : `echo ${req.messages[0]?.content}`));
    await llm.load('m1');
    const reply = await llm.complete({ messages: [{ role: 'user', content: 'abcdefgh' }] });
    expect(reply).toEqual({ text: 'echo abcdefgh', finishReason: 'stop', usage: { promptTokens: 2, completionTokens: 4 }, model: 'm1' });
    await expect(llm.complete({ messages: [] })).rejects.toMatchObject({ name: 'EndpointTimeoutError', message: 'slow', retryAfterMs: 5 });
    expect([approxTokens(''), approxTokens('abcd'), approxTokens('abcde')]).toEqual([1, 1, 2]);
  });
  it('stops a slow reply on abort and on interrupt', async () => {
    const llm = new ScriptedLlm(() => ({ text: 'late', delayMs: 60_000 }));
    const ctrl = new AbortController();
    const a = llm.complete({ messages: [] }, { signal: ctrl.signal });
    const b = llm.complete({ messages: [] });
    await Promise.resolve();
    ctrl.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((r) => setTimeout(r, 0));
    await llm.interrupt();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('engine error handling', () => {
  it('classifies by name, and endpoint statuses by code', () => {
    const e = (name: string, message = '', extra = {}) => Object.assign(new Error(message), { name }, extra);
    expect(classifyEngineError(e('EndpointUnreachableError'))).toBe('retry');
    expect(classifyEngineError(e('EndpointAuthError'))).toBe('fatal');
    expect(classifyEngineError(e('EndpointStatusError', 'x answered HTTP 503'))).toBe('retry');
    expect(classifyEngineError(e('EndpointStatusError', 'x', { status: 429 }))).toBe('retry');
    expect(classifyEngineError(e('EndpointStatusError', 'x answered HTTP 400'))).toBe('item');
    expect(classifyEngineError('a string')).toBe('item');
  });
  it('does not retry what the engine already retried, and stops on engine set-up errors', () => {
    const e = (name: string, extra = {}) => Object.assign(new Error('x'), { name }, extra);
    expect(classifyEngineError(e('EndpointUnreachableError', { attempts: 4 }))).toBe('item');
    expect(classifyEngineError(e('EndpointStatusError', { status: 503, attempts: 4 }))).toBe('item');
    expect(classifyEngineError(e('EndpointTimeoutError', { attempts: 1 }))).toBe('retry');
    expect(classifyEngineError(e('EndpointAuthError', { attempts: 1 }))).toBe('fatal');
    for (const name of ['GgufRejectedError', 'ModelDownloadError', 'WebGpuUnavailableError', 'EngineNotChosenError', 'EndpointUrlError']) {
      expect(classifyEngineError(e(name))).toBe('fatal');
    }
  });
  it('backs off exponentially with equal jitter, capped, never under Retry-After', () => {
    const s = { baseDelayMs: 1000, maxDelayMs: 8000 };
    expect([0, 1, 2, 3, 4].map((r) => retryDelay(r, undefined, s, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(retryDelay(0, undefined, s, () => 0.999999)).toBe(1000);
    expect(retryDelay(0, { retryAfterMs: 7000 }, s, () => 0)).toBe(7000);
  });
});

describe('progress', () => {
  it('reports items/s, tokens/s and ETA from the session clock', async () => {
    let t = 0;
    const clock = { now: () => t, sleep: async () => {} };
    const llm = new ScriptedLlm((req) => {
      t += 1000; // each reply takes one second
      return augmentReply(seqOf(req));
    });
    const seen: StageProgress[] = [];
    await runStage(augment, segments(4), { llm, store: new MemoryProjectStore(), run: augmentRun(), config: augmentConfig, concurrency: 1, clock, onProgress: (p) => seen.push(p) });
    // prompt: system (55 chars → 14) + segment (17 chars → 5); reply (31 chars → 8); seq 3's reply is empty (0)
    const prompt = approxTokens('Write the instruction that the following text answers.') + approxTokens('Passage number 0.');
    expect(prompt).toBe(19);
    expect(seen.map((p) => [p.status, p.done, p.itemsPerSec, p.etaSec])).toEqual([
      ['running', 1, 1, 3],
      ['running', 2, 1, 2],
      ['running', 3, 1, 1],
      ['running', 4, 1, 0],
      ['done', 4, 1, 0],
    ]);
    expect(seen.map((p) => p.tokensPerSec)).toEqual([27, 27, 27, 100 / 4, 100 / 4]);
    expect(seen.at(-1)?.tokens).toBe(27 * 3 + 19);
  });
});

describe('chunk streams', () => {
  const seg = (seq: number): Segment => ({ schemaVersion: SCHEMA_VERSION, seq, id: `s${seq}`, text: `t${seq}`, chars: 2, hash: '', provenance: { docId: 'd', path: 'p', headers: [], offset: 0 } });
  it('hands over each chunk in order, and closes the scan when the reader stops early', async () => {
    const store = new MemoryProjectStore();
    await store.put('segments', Array.from({ length: 2500 }, (_, i) => seg(i)));
    const sizes = [];
    for await (const c of chunksOf(store, 'segments')) sizes.push([c[0]?.seq, c.length]);
    expect(sizes).toEqual([[0, 1000], [1000, 1000], [2000, 500]]);
    const it = augmentInputs(store);
    expect((await it.next()).value).toEqual({ seq: 0, segmentId: 's0', text: 't0' });
    expect(await it.return(undefined)).toEqual({ done: true, value: undefined });
  });
  it('passes a store failure to the reader', async () => {
    const store = new MemoryProjectStore();
    await store.put('segments', [seg(0)]);
    store.scan = async () => {
      throw new Error('disk gone');
    };
    await expect(augmentInputs(store).next()).rejects.toThrow('disk gone');
  });
});
