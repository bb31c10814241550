import { describe, expect, it } from 'vitest';
import { estimateRun, seenRun } from '../../../src/core/stages/estimate.ts';

describe('estimateRun', () => {
  it('without a tokenizer or an earlier run: prompt tokens from characters, replies up to the limit, no time', () => {
    const e = estimateRun({ items: 10, fixedChars: 400, meanItemChars: 1600, measuredPromptTokens: null, maxReplyTokens: 256, seen: null });
    expect(e).toEqual({ items: 10, promptTokens: 5000, promptMeasured: false, replyTokens: { typical: null, max: 2560 }, seconds: null, speed: null });
  });

  it('with measured prompts and an earlier run: typical replies and a time range at that speed', () => {
    const seen = seenRun('qwen', { done: 20, tokens: 12_000, startedAt: 0, updatedAt: 60_000 }, [{ completionTokens: 30 }, { completionTokens: 50 }]);
    expect(seen).toEqual({ model: 'qwen', replyTokensPerItem: 40, tokensPerSec: 200 });
    const e = estimateRun({ items: 100, fixedChars: 400, meanItemChars: 1600, measuredPromptTokens: 40_000, maxReplyTokens: 256, seen });
    expect(e.promptTokens).toBe(40_000);
    expect(e.promptMeasured).toBe(true);
    expect(e.replyTokens).toEqual({ typical: 4000, max: 25_600 });
    expect(e.seconds).toEqual({ low: 220, high: 328 });
    expect(e.speed).toEqual({ tokensPerSec: 200, model: 'qwen' });
  });

  it('a run with nothing done, no time, or no usage gives no speed', () => {
    expect(seenRun('m', { done: 0, tokens: 0, startedAt: 0, updatedAt: 1000 }, [])).toBeNull();
    expect(seenRun('m', { done: 5, tokens: 500, startedAt: 1000, updatedAt: 1000 }, [{ completionTokens: 3 }])).toBeNull();
    expect(seenRun('m', { done: 5, tokens: 500, startedAt: 0, updatedAt: 1000 }, [])).toBeNull();
  });
});
