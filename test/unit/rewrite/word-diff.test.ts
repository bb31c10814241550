import { describe, expect, it } from 'vitest';
import { wordDiff } from '../../../src/core/review/word-diff.ts';

describe('wordDiff', () => {
  it('marks the words only one side has, ignoring case and trailing punctuation', () => {
    const d = wordDiff('Posted by admin. Boil the eggs for 9 minutes.', 'Boil the eggs for 9 minutes, then cool them.');
    expect(d.original).toEqual([{ text: 'Posted by admin. ', same: false }, { text: 'Boil the eggs for 9 minutes.', same: true }]);
    expect(d.rewrite).toEqual([{ text: 'Boil the eggs for 9 minutes, ', same: true }, { text: 'then cool them.', same: false }]);
    expect(d.compared).toBe(true);
  });
  it('keeps every character of both texts', () => {
    const a = 'one two  three\nfour';
    const b = 'zero one three four five';
    const d = wordDiff(a, b);
    expect(d.original.map((p) => p.text).join('')).toBe(a);
    expect(d.rewrite.map((p) => p.text).join('')).toBe(b);
    expect(d.original.filter((p) => !p.same).map((p) => p.text.trim())).toEqual(['two']);
    expect(d.rewrite.filter((p) => !p.same).map((p) => p.text.trim())).toEqual(['zero', 'five']);
  });
  it('does not compare texts longer than the limit', () => {
    const d = wordDiff('a b c', 'a b d', 2);
    expect(d).toEqual({ original: [{ text: 'a b c', same: true }], rewrite: [{ text: 'a b d', same: true }], compared: false });
  });
});
