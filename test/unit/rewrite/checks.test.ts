import { describe, expect, it } from 'vitest';
import { checkRewrite, codeBlocksOf, contentWordsOf, numbersOf, urlsOf, DEFAULT_REWRITE_LIMITS } from '../../../src/core/rewrite/checks.ts';

const ORIGINAL = [
  'Posted by admin. I have been growing tomatoes for years and here is what works for me.',
  'Water them deeply twice a week, about 2.5 centimetres each time, and keep the soil temperature above 15 degrees.',
  'Plants need 1,000 hours of sunlight over a season. See https://example.org/tomatoes for a planting calendar.',
].join('\n');

const FAITHFUL =
  'Water tomato plants deeply twice a week, about 2.5 centimetres each time, and keep the soil temperature above 15 degrees. ' +
  'Over a season the plants need 1000 hours of sunlight. A planting calendar is at https://example.org/tomatoes.';

describe('rewrite checks: numbers', () => {
  it('reads numbers with decimals and thousands separators as one fact each, ignoring list markers', () => {
    expect(numbersOf('It costs 1,000 or 2.5 units.\n1. first\n2) second\nin 2024')).toEqual(['1000', '2.5', '2024']);
  });
  it('passes a faithful rewrite, where "1,000" became "1000"', () => {
    const c = checkRewrite(ORIGINAL, FAITHFUL);
    expect(c.numbers).toEqual({ missing: [], invented: [] });
    expect(c.flags).toEqual([]);
  });
  it('flags a number that went missing', () => {
    const c = checkRewrite(ORIGINAL, FAITHFUL.replace('2.5 centimetres', 'a little'));
    expect(c.numbers.missing).toEqual(['2.5']);
    expect(c.flags).toContain('numbers-missing');
    expect(c.flags).not.toContain('numbers-invented');
  });
  it('flags a number that appeared from nowhere', () => {
    const c = checkRewrite(ORIGINAL, FAITHFUL + ' Harvest after 60 days.');
    expect(c.numbers.invented).toEqual(['60']);
    expect(c.flags).toEqual(['numbers-invented']);
  });
  it('does not count the numbers of a numbered list the rewrite made', () => {
    const listed = '1. Water twice a week, 2.5 centimetres, soil above 15 degrees.\n2. 1000 hours of sunlight; calendar: https://example.org/tomatoes tomatoes growing plants season planting';
    expect(checkRewrite(ORIGINAL, listed).numbers.invented).toEqual([]);
  });
});

describe('rewrite checks: URLs', () => {
  it('reads URLs without trailing punctuation or slash', () => {
    expect(urlsOf('See https://a.example/x. Or (http://b.example/y/), or https://a.example/x')).toEqual(['https://a.example/x', 'http://b.example/y']);
  });
  it('flags a dropped link and an invented one', () => {
    const c = checkRewrite(ORIGINAL, FAITHFUL.replace('https://example.org/tomatoes', 'https://garden.example/calendar'));
    expect(c.urls).toEqual({ missing: ['https://example.org/tomatoes'], invented: ['https://garden.example/calendar'] });
    expect(c.flags).toEqual(['urls-missing', 'urls-invented']);
  });
});

describe('rewrite checks: code blocks', () => {
  const withCode = 'To list files run this:\n```sh\nls -la /tmp\n```\nIt prints every file with its permissions and owner.';
  it('reads fenced blocks, whitespace-normalised', () => {
    expect(codeBlocksOf('a\n```js\nconst x =  1;\n  x + 1\n```\nb ```\nraw\n```')).toEqual(['const x = 1; x + 1', 'raw']);
  });
  it('flags a code block the rewrite lost', () => {
    const c = checkRewrite(withCode, 'Run ls with the -la flags on the folder: it prints every file with its permissions and owner.');
    expect(c.code.missing).toEqual(['ls -la /tmp']);
    expect(c.flags).toContain('code-missing');
  });
  it('accepts the same block with other spacing, and flags one the original never had', () => {
    const kept = 'Run:\n```bash\nls  -la /tmp\n```\nIt prints every file with its permissions and owner.';
    expect(checkRewrite(withCode, kept).code).toEqual({ missing: [], invented: [] });
    const added = kept + '\n```bash\nrm -rf /tmp/*\n```';
    const c = checkRewrite(withCode, added);
    expect(c.code.invented).toEqual(['rm -rf /tmp/*']);
    expect(c.flags).toEqual(['code-invented']);
  });
  it('does not read numbers or URLs inside code blocks as prose facts', () => {
    expect(numbersOf('```\nsleep 30\n```\nWait.')).toEqual([]);
    expect(urlsOf('```\ncurl https://x.example\n```')).toEqual([]);
  });
});

describe('rewrite checks: length and content words', () => {
  it('content words are distinct, lower-case, four letters or more, without function words', () => {
    expect([...contentWordsOf('The Tomatoes need WATER and water; they would grow with sun.')].sort()).toEqual(['grow', 'need', 'tomatoes', 'water']);
  });
  it('measures the share of the original content words kept and the length ratio', () => {
    const c = checkRewrite('alpha bravo charlie delta', 'alpha bravo, and more words here');
    expect(c.contentKept).toBeCloseTo(0.5, 5);
    expect(c.lengthRatio).toBeCloseTo('alpha bravo, and more words here'.length / 'alpha bravo charlie delta'.length, 5);
  });
  it('flags a rewrite that kept too few content words', () => {
    const c = checkRewrite(ORIGINAL, 'Give the plants water often and put them in a bright spot, 2.5 15 1000 https://example.org/tomatoes and so on and so forth.');
    expect(c.contentKept).toBeLessThan(DEFAULT_REWRITE_LIMITS.minContentKept);
    expect(c.flags).toContain('content-dropped');
  });
  it('flags a rewrite far shorter or far longer than the original', () => {
    expect(checkRewrite('x'.repeat(1000), 'x'.repeat(100)).flags).toContain('too-short');
    expect(checkRewrite('word '.repeat(20), 'word '.repeat(80)).flags).toContain('too-long');
    expect(checkRewrite('word '.repeat(20), 'word '.repeat(20)).flags).toEqual([]);
  });
  it('uses the limits it is given and stores them with the result', () => {
    const limits = { minLengthRatio: 0.9, maxLengthRatio: 1.1, minContentKept: 1 };
    const c = checkRewrite(ORIGINAL, FAITHFUL, limits);
    expect(c.limits).toEqual(limits);
    expect(c.flags).toEqual(['too-short', 'content-dropped']);
  });
});
