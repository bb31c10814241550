import { describe, expect, it } from 'vitest';
import { expectedScore, expectedScoreAt, scoreOfToken, scorePosition } from '../../../src/core/stages/expected-score.ts';
import type { TokenLogprob } from '../../../src/ports/llm.ts';

const pos = (token: string, alts: [string, number][]): TokenLogprob => ({
  token,
  logprob: Math.log(alts.find(([t]) => t === token)?.[1] ?? 0.5),
  top: alts.map(([t, p]) => ({ token: t, logprob: Math.log(p) })),
});

describe('expected score', () => {
  it('reads digits however the tokenizer spells them', () => {
    expect(['4', ' 4', '▁4', 'Ġ4', '4\n'].map(scoreOfToken)).toEqual([4, 4, 4, 4, 4]);
    expect(['0', '6', '45', '4.', 'four', ''].map(scoreOfToken)).toEqual([null, null, null, null, null, null]);
  });
  it('is Σ p·k normalised over the five scores', () => {
    const e = expectedScoreAt(pos('4', [['4', 0.6], ['5', 0.3], ['3', 0.1]]));
    expect(e?.expected).toBeCloseTo(4.2, 12);
    expect(e?.probs.map((p) => Number(p.toFixed(12)))).toEqual([0, 0, 0.1, 0.6, 0.3]);
  });
  it('ignores other tokens and renormalises', () => {
    const e = expectedScoreAt(pos('5', [['5', 0.4], ['4', 0.4], ['The', 0.2]]));
    expect(e?.expected).toBeCloseTo(4.5, 12);
    expect(e?.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  it('adds up spellings of the same score', () => {
    const e = expectedScoreAt(pos(' 5', [[' 5', 0.25], ['5', 0.25], [' 3', 0.5]]));
    expect(e?.expected).toBeCloseTo(4, 12);
  });
  it('counts the chosen token when the alternatives leave it out', () => {
    const e = expectedScoreAt({ token: '2', logprob: Math.log(0.5), top: [{ token: '4', logprob: Math.log(0.5) }] });
    expect(e?.expected).toBeCloseTo(3, 12);
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
