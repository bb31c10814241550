import { describe, expect, it } from 'vitest';
import {
  EXPECTED_MIN_MASS, expectedScore, expectedScoreAt, reliableExpected, scoreOfToken, scorePosition,
} from '../../../src/core/stages/expected-score.ts';
import type { TokenLogprob } from '../../../src/ports/llm.ts';

/** A position whose chosen token is `token`, with the listed alternatives (probabilities, not logs). */
const pos = (token: string, alts: [string, number][]): TokenLogprob => ({
  token,
  logprob: Math.log(alts.find(([t]) => t === token)?.[1] ?? 0.5),
  top: alts.map(([t, p]) => ({ token: t, logprob: Math.log(p) })),
});
const rounded = (xs: number[] | undefined) => xs?.map((p) => Number(p.toFixed(12)));

describe('expected score', () => {
  it('reads digits however the tokenizer spells them', () => {
    expect(['4', ' 4', '▁4', 'Ġ4', '4\n', 'Ċ4', '4Ċ'].map(scoreOfToken)).toEqual([4, 4, 4, 4, 4, 4, 4]);
    expect(['0', '6', '45', '4.', 'four', ''].map(scoreOfToken)).toEqual([null, null, null, null, null, null]);
  });
  it('is Σ p·k normalised over the five scores, with the mass they covered', () => {
    const e = expectedScoreAt(pos('4', [['4', 0.6], ['5', 0.3], ['3', 0.1]]));
    expect(e?.expected).toBeCloseTo(4.2, 12);
    expect(rounded(e?.probs)).toEqual([0, 0, 0.1, 0.6, 0.3]);
    expect(e?.mass).toBeCloseTo(1, 12);
  });
  it('ignores other tokens, renormalises, and says how much mass the scores had', () => {
    const e = expectedScoreAt(pos('5', [['5', 0.4], ['4', 0.4], ['The', 0.2]]));
    expect(e?.expected).toBeCloseTo(4.5, 12);
    expect(e?.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(e?.mass).toBeCloseTo(0.8, 12);
  });
  it('merges spellings of one digit: with and without a leading space, ▁ and Ġ', () => {
    // A Llama/Mistral-style list: "▁4" and "4" are different tokens for the same score; GPT-2-style "Ġ5" likewise.
    const e = expectedScoreAt(pos('▁4', [['▁4', 0.3], ['4', 0.2], [' 5', 0.1], ['Ġ5', 0.1], ['5', 0.05], ['▁3', 0.05], ['\n', 0.2]]));
    expect(rounded(e?.probs)).toEqual([0, 0, 0.0625, 0.625, 0.3125]);
    expect(e?.expected).toBeCloseTo(3 * 0.0625 + 4 * 0.625 + 5 * 0.3125, 12);
    expect(e?.mass).toBeCloseTo(0.8, 12);
  });
  it('gives missing scores probability 0 and a mass below 1', () => {
    // Twenty slots, most taken by non-score tokens: only 4 and 5 appear.
    const filler: [string, number][] = Array.from({ length: 18 }, (_, i) => [`tok${i}`, 0.02]);
    const e = expectedScoreAt(pos('4', [['4', 0.3], ['5', 0.1], ...filler]));
    expect(rounded(e?.probs)).toEqual([0, 0, 0, 0.75, 0.25]);
    expect(e?.mass).toBeCloseTo(0.4, 12);
    expect(e && reliableExpected({ expectedScore: e.expected, scoreMass: e.mass })).toBeNull();
  });
  it('counts the chosen token when the alternatives leave it out', () => {
    const e = expectedScoreAt({ token: '2', logprob: Math.log(0.5), top: [{ token: '4', logprob: Math.log(0.5) }] });
    expect(e?.expected).toBeCloseTo(3, 12);
    expect(e?.mass).toBeCloseTo(1, 12);
  });
  it('a chosen score with no alternatives gives no expected score, not a certain one', () => {
    expect(expectedScoreAt({ token: '5', logprob: Math.log(0.6), top: [] })).toBeNull();
    expect(expectedScoreAt({ token: '5', logprob: Math.log(0.6), top: [{ token: '5', logprob: Math.log(0.6) }] })).toBeNull();
    // One alternative that is not a score is still a listing: the mass says 0.6 of it was "5".
    expect(expectedScoreAt(pos('5', [['5', 0.6], ['The', 0.1]]))).toEqual({ expected: 5, probs: [0, 0, 0, 0, 1], mass: 0.6 });
  });
  it('is null with no score token among the alternatives', () => {
    expect(expectedScoreAt(pos('The', [['The', 0.9], ['A', 0.1]]))).toBeNull();
    expect(expectedScore(undefined, 3)).toBeNull();
    expect(expectedScore([], 3)).toBeNull();
  });
  it('finds the token that covers the score character, else the last score token', () => {
    const toks: TokenLogprob[] = [
      pos('Score', [['Score', 1]]), pos(':', [[':', 1]]), pos(' 3', [[' 3', 0.5], [' 2', 0.5]]),
      pos('\n', [['\n', 1]]), pos('Score', [['Score', 1]]), pos(':', [[':', 1]]), pos(' ', [[' ', 1]]), pos('4', [['4', 0.8], ['5', 0.2]]),
    ];
    const text = toks.map((t) => t.token).join('');
    expect(text).toBe('Score: 3\nScore: 4');
    expect(scorePosition(toks, text.length - 1)?.token).toBe('4');
    expect(scorePosition(toks, 7)?.token).toBe(' 3');
    expect(scorePosition(toks, -1)?.token).toBe('4');
    expect(scorePosition(toks, 0)?.token).toBe('4'); // "Score" is not a digit: fall back to the last one
    expect(expectedScore(toks, text.length - 1)?.expected).toBeCloseTo(4.2, 12);
  });
});

describe('reliableExpected', () => {
  it('uses the expectation only when the score tokens covered at least the threshold', () => {
    expect(EXPECTED_MIN_MASS).toBe(0.5);
    expect(reliableExpected({ expectedScore: 4.6, scoreMass: 0.9 })).toBe(4.6);
    expect(reliableExpected({ expectedScore: 4.6, scoreMass: 0.5 })).toBe(4.6);
    expect(reliableExpected({ expectedScore: 4.6, scoreMass: 0.49 })).toBeNull();
    expect(reliableExpected({ expectedScore: 4.6, scoreMass: 0.3 }, 0.25)).toBe(4.6);
    expect(reliableExpected({ expectedScore: 4.6, scoreMass: 0.9 }, 0.95)).toBeNull();
  });
  it('is null without an expectation, or for ratings stored before the mass was kept', () => {
    expect(reliableExpected({ expectedScore: null, scoreMass: 0.9 })).toBeNull();
    expect(reliableExpected({ scoreMass: 0.9 })).toBeNull();
    expect(reliableExpected({ expectedScore: 4.2 })).toBeNull();
    expect(reliableExpected({ expectedScore: Number.NaN, scoreMass: 1 })).toBeNull();
  });
});
