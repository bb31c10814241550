import { describe, expect, it } from 'vitest';
import { ExactDedup, NearDedup, hash64, segmentHash, seededRandom } from '../../../src/core/corpus/dedup.ts';
import { DEFAULT_FILTERS, StepCounter, isBadHeader, isBoilerplateHeader, letterShare, rejectReason, repetitionRatio } from '../../../src/core/corpus/filters.ts';
import { lengthHistogram, percentile, sampleSegments } from '../../../src/core/corpus/sample.ts';

const prose = (seed: number, words = 150) => {
  const rand = seededRandom(seed);
  const vocab = 'the a system package file user shell command network kernel mount locale config service boot disk editor terminal option display input'.split(' ');
  return Array.from({ length: words }, () => vocab[Math.floor(rand() * vocab.length)]).join(' ') + '.';
};

describe('filters', () => {
  it('recognises navigation and boilerplate headers but not real section titles', () => {
    for (const h of ['Advertisement', 'Quick Links', 'Table of Contents', 'We use cookies', 'Menu', '3.2 Related posts']) expect(isBoilerplateHeader(h), h).toBe(true);
    // A section titled "Privacy Policy" that got past extraction is a page about it (footer links are gone before).
    for (const h of ['8.1. The locale', 'Searching for packages', 'Comments in shell scripts', 'Menu design', 'Privacy Policy']) expect(isBoilerplateHeader(h), h).toBe(false);
  });

  it('takes a topic for a topic: furniture words count as a whole header or in a short one, in several languages', () => {
    for (const h of ['Chocolate Chip Cookies', 'HTTP cookies and sessions', 'The history of advertising', 'Read more about Python', 'Impressum']) expect(isBoilerplateHeader(h), h).toBe(false);
    for (const h of ['Kommentare', 'Contenido relacionado', 'Articles similaires', 'Das könnte Sie auch interessieren', 'Share this post', 'Read more']) expect(isBoilerplateHeader(h), h).toBe(true);
    // Counted comment headings, however long the title they name; a topic that merely has "thoughts on" is not one.
    for (const h of ['12 Comments', 'One thought on “Why we moved our whole build system to a new language this year”', 'Comments (4)', '3 Kommentare zu „Heizjacken“']) expect(isBoilerplateHeader(h), h).toBe(true);
    expect(isBoilerplateHeader('Some thoughts on Python packaging')).toBe(false);
  });

  it('judges only the segment\'s own header, and keeps a short document whole', () => {
    const ok = { text: prose(1), headers: ['Cookies', 'Chocolate Chip Cookies'], offset: 0 };
    expect(rejectReason(ok)).toBe(null);
    expect(rejectReason({ ...ok, headers: ['Chocolate Chip Cookies', 'Related posts'] })).toBe('boilerplate-header');
    expect(rejectReason({ ...ok, headers: ['SHOUTING HEADER', ''] })).toBe(null);
    const short = { text: prose(2, 30), headers: ['News'], offset: 0 };
    expect(short.text.length).toBeGreaterThan(100);
    expect([rejectReason(short), rejectReason({ ...short, whole: true }), rejectReason({ ...short, text: 'Hi.', whole: true })]).toEqual(['length', null, 'length']);
  });

  it('flags all-capitals headers, not acronyms or mixed case; an empty (image-only) header drops nothing', () => {
    expect([isBadHeader(''), isBadHeader('  '), isBadHeader('INSTALLATION GUIDE'), isBadHeader('FAQ'), isBadHeader('I18N and L10N'), isBadHeader('1.2.3')]).toEqual([false, false, true, false, false, true]);
  });

  it('measures repetition as the share of repeated word n-grams', () => {
    expect(repetitionRatio('one two three four five six')).toBe(0);
    // 'a b c' ×4 = 12 words, 10 trigrams, only 3 distinct: 7 repeats.
    expect(repetitionRatio('a b c a b c a b c a b c')).toBe(0.7);
    expect(repetitionRatio('short')).toBe(0);
  });

  it('measures the share of letters among visible characters', () => {
    expect(letterShare('abc 123')).toBe(0.5);
    expect(letterShare('Größe ÿ')).toBe(1);
    expect(letterShare('   ')).toBe(1);
  });

  it('names the first filter that rejects a segment, and respects switches', () => {
    const ok = { text: prose(1), headers: ['Intro'], offset: 0 };
    expect(ok.text.length).toBeGreaterThan(600);
    expect(rejectReason(ok)).toBe(null);
    expect(rejectReason({ ...ok, headers: ['Quick links'] })).toBe('boilerplate-header');
    expect(rejectReason({ ...ok, headers: ['SHOUTING HEADER'] })).toBe('bad-header');
    expect(rejectReason({ ...ok, text: 'too short' })).toBe('length');
    expect(rejectReason({ ...ok, text: '1 2 3 4 5 | 6 7 8 9 0 | '.repeat(40) })).toBe('non-text');
    expect(rejectReason({ ...ok, text: 'buy now and save big today '.repeat(40) })).toBe('repetitive');
    const off = { ...DEFAULT_FILTERS, enabled: { ...DEFAULT_FILTERS.enabled, length: false } };
    expect(rejectReason({ ...ok, text: 'too short' }, off)).toBe(null);
  });

  it('counts before → after per step, a removal stopping the count at its step', () => {
    const c = new StepCounter([
      { step: 'a', enabled: true },
      { step: 'b', enabled: true },
      { step: 'c', enabled: false },
    ]);
    for (const r of [null, 'a', 'b', null, 'b']) c.record(r);
    expect(c.counts()).toEqual([
      { step: 'a', enabled: true, before: 5, after: 4 },
      { step: 'b', enabled: true, before: 4, after: 2 },
      { step: 'c', enabled: false, before: 2, after: 2 },
    ]);
  });
});

describe('dedup', () => {
  it('hashes the normalised text: case, punctuation and spacing do not matter', () => {
    expect(segmentHash('Hello,   World!')).toBe(segmentHash('hello world'));
    expect(segmentHash('hello world')).not.toBe(segmentHash('hello word'));
    expect(hash64('')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64('abc')).toBe(hash64('abc'));
    expect(hash64('abc', 1)).not.toBe(hash64('abc'));
  });

  it('keeps the first of exact duplicates', () => {
    const d = new ExactDedup();
    expect(['x', 'y', 'x', 'z', 'y'].map((h) => d.add(h))).toEqual([true, true, false, true, false]);
    expect(d.size).toBe(3);
  });

  it('drops near-duplicates above the threshold and keeps distinct texts', () => {
    const base = prose(7, 300);
    const words = base.split(' ');
    const edited = words.map((w, i) => (i % 100 === 50 ? 'changed' : w)).join(' '); // 3 of 300 words: Jaccard of 5-word shingles ≈ 0.9
    const different = prose(8, 300);
    const d = new NearDedup();
    expect([d.add(base), d.add(edited), d.add(different), d.add(base)]).toEqual([true, false, true, false]);
    expect(d.size).toBe(2);
  });

  it('is reproducible for a seed', () => {
    const texts = Array.from({ length: 40 }, (_, i) => prose(100 + (i % 25), 120));
    const run = (seed: number) => {
      const d = new NearDedup({ threshold: 0.8, seed, shingle: 5, bands: 16, rows: 4 });
      return texts.map((t) => d.add(t));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3).filter(Boolean).length).toBe(25);
  });
});

describe('sampling', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ seq: i, chars: 1000 + ((i * 37) % 100) * 10 }));

  it('keeps all', () => {
    expect(sampleSegments(items, { mode: 'all' })).toEqual(items.map((i) => i.seq));
  });

  it('picks N at random, the same N for the same seed', () => {
    const a = sampleSegments(items, { mode: 'random', n: 10, seed: 42 });
    expect(a.length).toBe(10);
    expect(new Set(a).size).toBe(10);
    expect(sampleSegments(items, { mode: 'random', n: 10, seed: 42 })).toEqual(a);
    expect(sampleSegments(items, { mode: 'random', n: 10, seed: 43 })).not.toEqual(a);
    expect(sampleSegments(items, { mode: 'random', n: 500, seed: 1 }).length).toBe(100);
  });

  it('keeps the 25th–50th percentile band of lengths', () => {
    const band = sampleSegments(items, { mode: 'percentile', from: 25, to: 50 });
    const lengths = band.map((s) => items[s]?.chars ?? 0);
    // Lengths are 1000..1990 in steps of 10, each once: 25th = 1240, 50th = 1490.
    expect(Math.min(...lengths)).toBe(1240);
    expect(Math.max(...lengths)).toBe(1490);
    expect(band.length).toBe(26);
    expect(sampleSegments(items, { mode: 'percentile', from: 25, to: 50, n: 5, seed: 1 }).length).toBe(5);
    expect(() => sampleSegments(items, { mode: 'percentile', from: 60, to: 50 })).toThrow(RangeError);
  });

  it('computes nearest-rank percentiles and an equal-width histogram', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(lengthHistogram([0, 5, 10, 99, 150, -3], 0, 100, 4)).toEqual({ edges: [0, 25, 50, 75], counts: [4, 0, 0, 2], width: 25 });
  });
});
