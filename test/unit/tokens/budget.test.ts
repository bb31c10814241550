import { describe, expect, it } from 'vitest';
import { budgetCounts, planBudget, promptBudget, truncateAtSentence } from '../../../src/core/tokens/budget.ts';
import { sentenceEnds } from '../../../src/core/tokens/sentences.ts';
import { countWith, loadTinyTokenizer } from './tiny-tokenizer.ts';

const count = countWith(loadTinyTokenizer());
const text = 'Score the answer. Is it good? Write "how to" answer!\n\nThe end of it is here.';

describe('sentence ends', () => {
  it('finds ends after punctuation (with closing quotes) and at paragraph breaks, once each', () => {
    expect(sentenceEnds(text)).toEqual([17, 29, 52, 76]);
    expect(sentenceEnds('He said "stop." Then (twice.) Fine')).toEqual([15, 29]);
    expect(sentenceEnds('No end here, v1.2 is a version')).toEqual([]);
    expect(sentenceEnds('First part\n\n  \nSecond part')).toEqual([10]);
  });
});

describe('truncateAtSentence with the tiny model tokenizer', () => {
  it('keeps a text that fits as it is', () => {
    expect(truncateAtSentence(text, 39, count)).toEqual({ text, tokens: 39, originalTokens: 39, cut: 'fits' });
  });

  it('cuts at the last sentence end that fits', () => {
    expect(truncateAtSentence(text, 38, count)).toEqual({ text: text.slice(0, 52), tokens: 22, originalTokens: 39, cut: 'sentence' });
    expect(truncateAtSentence(text, 21, count)).toEqual({ text: 'Score the answer. Is it good?', tokens: 10, originalTokens: 39, cut: 'sentence' });
    expect(truncateAtSentence(text, 10, count)).toEqual({ text: 'Score the answer. Is it good?', tokens: 10, originalTokens: 39, cut: 'sentence' });
    expect(truncateAtSentence(text, 9, count)).toEqual({ text: 'Score the answer.', tokens: 4, originalTokens: 39, cut: 'sentence' });
  });

  it('reports a text whose first sentence alone is too long', () => {
    expect(truncateAtSentence(text, 3, count)).toEqual({ text: '', tokens: 0, originalTokens: 39, cut: 'none-fits' });
    expect(truncateAtSentence('one long sentence with no end', 2, count)).toEqual({ text: '', tokens: 0, originalTokens: count('one long sentence with no end'), cut: 'none-fits' });
  });
});

describe('prompt budget', () => {
  it('leaves the context window minus template, examples, reply and margin for the segment', () => {
    const b = promptBudget({ contextWindow: 512, replyTokens: 64, templateTokens: 100, fewShotTokens: 200, marginTokens: 4 });
    expect(b).toEqual({ ok: true, value: { contextWindow: 512, replyTokens: 64, templateTokens: 100, fewShotTokens: 200, marginTokens: 4, segmentTokens: 144 } });
  });

  it('is an issue, not a negative number, when nothing is left', () => {
    const b = promptBudget({ contextWindow: 512, replyTokens: 256, templateTokens: 100, fewShotTokens: 156 });
    expect(b.ok).toBe(false);
    if (!b.ok) {
      expect(b.issue.code).toBe('no-room-for-segment');
      expect(b.issue.message).toContain('The prompt needs 100 tokens, the examples 156 and the reply 256');
    }
  });
});

describe('plan and counts', () => {
  const measured = [
    { seq: 0, tokens: 10 },
    { seq: 1, tokens: 39 },
    { seq: 2, tokens: 21 },
    { seq: 3, tokens: 22 },
    { seq: 4, tokens: 80 },
  ];

  it('splits measured segments into fitting and overflowing', () => {
    expect(planBudget(measured, 21, 'truncate')).toEqual({ segmentTokens: 21, choice: 'truncate', fits: [0, 2], overflow: [1, 3, 4] });
  });

  it('counts skipped segments when the user chose to skip', () => {
    expect(budgetCounts(planBudget(measured, 21, 'skip'))).toEqual({ measured: 5, fits: 2, truncated: 0, skipped: 3, tooLongToCut: 0, tokensCut: 0 });
  });

  it('counts cut segments, tokens cut, and those too long to cut', () => {
    const cuts = new Map([
      [1, truncateAtSentence(text, 21, count)],
      [3, { text: 'x.', tokens: 2, originalTokens: 22, cut: 'sentence' as const }],
      [4, { text: '', tokens: 0, originalTokens: 80, cut: 'none-fits' as const }],
    ]);
    expect(budgetCounts(planBudget(measured, 21, 'truncate'), cuts)).toEqual({ measured: 5, fits: 2, truncated: 2, skipped: 0, tooLongToCut: 1, tokensCut: 29 + 20 });
  });

  it('refuses to count an overflowing segment that was never cut', () => {
    expect(() => budgetCounts(planBudget(measured, 21, 'truncate'), new Map())).toThrow('segment 1 overflows but has no truncation result');
  });
});
