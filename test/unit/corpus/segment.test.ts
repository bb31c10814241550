import { describe, expect, it } from 'vitest';
import { SectionPacker, splitLong, type Block, type RawSegment } from '../../../src/core/corpus/segment.ts';

const h = (level: number, text: string, offset = 0): Block => ({ kind: 'heading', level, text, offset });
const p = (text: string, offset = 0): Block => ({ kind: 'text', text, offset });
const words = (n: number, w = 'word') => Array.from({ length: n }, () => w).join(' ');

function pack(blocks: Block[], minChars: number, maxChars: number): RawSegment[] {
  const packer = new SectionPacker({ minChars, maxChars });
  const out: RawSegment[] = [];
  for (const b of blocks) packer.add(b, out);
  return packer.end(out);
}

describe('SectionPacker', () => {
  it('keeps a section that fits the window whole, sub-headers included, its heading first in its text', () => {
    const segs = pack([h(1, 'Guide', 0), p('a'.repeat(30), 5), h(2, 'Part', 40), p('b'.repeat(30), 50), h(1, 'Next', 90), p('c'.repeat(30), 95)], 20, 100);
    expect(segs).toEqual([
      { text: `Guide\n\n${'a'.repeat(30)}\n\nPart\n\n${'b'.repeat(30)}`, headers: ['Guide'], offset: 0 },
      { text: `Next\n\n${'c'.repeat(30)}`, headers: ['Next'], offset: 90 },
    ]);
  });

  it('cuts a too-long section at a sub-header before a paragraph boundary, each piece labelled with the smallest section holding it', () => {
    const segs = pack([h(1, 'A'), p('x'.repeat(40)), h(2, 'B'), p('y'.repeat(40)), p('z'.repeat(40))], 20, 100);
    expect(segs.map((s) => [s.headers, s.text])).toEqual([
      [['A'], `A\n\n${'x'.repeat(40)}`],
      [['A', 'B'], `B\n\n${'y'.repeat(40)}\n\n${'z'.repeat(40)}`],
    ]);
  });

  it('makes each sub-section after a cut a segment of its own, which takes its own sub-sections only', () => {
    const blocks = [h(1, 'A'), p('x'.repeat(80)), h(2, 'B'), p('y'.repeat(20)), h(3, 'B1'), p('v'.repeat(20)), h(2, 'C'), p('z'.repeat(20))];
    expect(pack(blocks, 30, 100).map((s) => [s.headers, s.text.split('\n\n').map((t) => t.slice(0, 3))])).toEqual([
      [['A'], ['A', 'xxx']],
      [['A', 'B'], ['B', 'yyy', 'B1', 'vvv']],
      [['A', 'C'], ['C', 'zzz']],
    ]);
  });

  it('splits a section with no sub-headers at paragraph boundaries', () => {
    const segs = pack([h(1, 'A'), p('1'.repeat(50)), p('2'.repeat(50)), p('3'.repeat(50))], 20, 110);
    expect(segs.map((s) => s.text)).toEqual([`A\n\n${'1'.repeat(50)}\n\n${'2'.repeat(50)}`, '3'.repeat(50)]);
    expect(segs.every((s) => s.headers[0] === 'A')).toBe(true);
  });

  it('never packs a short section with a sibling or a parent: it stands alone, for the length filter to count', () => {
    const segs = pack([h(2, 'One'), p('a'.repeat(10)), h(2, 'Two'), p('b'.repeat(10)), h(1, 'Top'), p('c'.repeat(10)), h(3, 'Sub'), p('d'.repeat(10))], 25, 100);
    expect(segs).toEqual([
      { text: `One\n\n${'a'.repeat(10)}`, headers: ['One'], offset: 0 },
      { text: `Two\n\n${'b'.repeat(10)}`, headers: ['Two'], offset: 0 },
      // A short section does take its own sub-sections.
      { text: `Top\n\n${'c'.repeat(10)}\n\nSub\n\n${'d'.repeat(10)}`, headers: ['Top'], offset: 0 },
    ]);
  });

  it('packs plain paragraphs into the window and joins tight blocks with one newline', () => {
    const blocks: Block[] = [p('intro'.repeat(4), 0), { kind: 'text', text: '- one', offset: 30, tight: true }, { kind: 'text', text: '- two', offset: 40, tight: true }];
    expect(pack(blocks, 0, 1000)).toEqual([{ text: `${'intro'.repeat(4)}\n\n- one\n- two`, headers: [], offset: 0 }]);
  });

  it('marks the longest segment of a document that has none in the window, so a short page keeps its text', () => {
    const short = [h(1, 'A'), p('x'.repeat(10)), h(1, 'B'), p('y'.repeat(30))];
    expect(pack(short, 50, 100).map((s) => [s.headers[0], s.whole])).toEqual([
      ['A', undefined],
      ['B', true],
    ]);
    // One segment in the window: the short ones are left to the length filter, in document order.
    expect(pack([...short, h(1, 'C'), p('z'.repeat(60))], 50, 100).map((s) => [s.headers[0], s.whole])).toEqual([
      ['A', undefined],
      ['B', undefined],
      ['C', undefined],
    ]);
  });

  it('cuts a long section again about evenly when its last piece would be a scrap too short for the window', () => {
    // 30+2+30+2+30 = 94 is the first piece; the rest, 30+2+5 = 37, is under the minimum of 40:
    // the pair (133) is cut again after the second paragraph, 62 and 69.
    const long = [p('a'.repeat(30)), p('b'.repeat(30)), p('c'.repeat(30)), p('d'.repeat(30)), p('e'.repeat(5))];
    expect(pack(long, 40, 100).map((s) => s.text.length)).toEqual([62, 69]);
    // A rest that reaches the minimum is left alone, and so is a pair no cut leaves both in the window.
    const paras = [h(1, 'A'), p('a'.repeat(40)), p('b'.repeat(40)), p('c'.repeat(40)), p('d'.repeat(10))];
    expect(pack(paras, 30, 100).map((s) => s.text.length)).toEqual([85, 52]);
    expect(pack(paras, 60, 100).map((s) => s.text.length)).toEqual([85, 52]);
  });

  it('splits a paragraph longer than the maximum at sentence ends', () => {
    const sentence = `${words(9)}. `; // 46 chars: two sentences fit in 120, three do not
    const segs = pack([p(sentence.repeat(6).trim())], 10, 120);
    expect(segs.map((s) => s.text.length)).toEqual([91, 91, 91]);
    expect(segs.every((s) => s.text.endsWith('.'))).toBe(true);
  });

  it('drops a header with nothing under it, and emits nothing for headers alone', () => {
    expect(pack([h(1, 'Only'), h(2, 'Headers')], 0, 100)).toEqual([]);
    expect(pack([p('text'), h(2, 'Dangling')], 0, 100)).toEqual([{ text: 'text', headers: [], offset: 0 }]);
    // "Related posts" lost its links to the extractor: an empty section before a sibling is no text.
    expect(pack([h(1, 'T'), p('body'), h(2, 'Related posts'), h(2, 'Next'), p('more')], 0, 100).map((s) => s.text)).toEqual(['T\n\nbody\n\nNext\n\nmore']);
  });

  it('keeps a leading heading and a paragraph too long to follow it within the maximum', () => {
    const segs = pack([h(1, 'Title'), p(`${words(30)}. ${words(30)}.`)], 10, 200);
    expect(segs.map((s) => s.text.length)).toEqual([157, 150]);
    expect(segs[0]?.text.startsWith('Title\n\n')).toBe(true);
  });

  it('never emits a segment over the maximum, whatever the blocks', () => {
    const blocks: Block[] = [];
    for (let i = 0; i < 200; i++) blocks.push(i % 7 === 0 ? h(1 + (i % 3), `H${i}`) : p(words(1 + ((i * 37) % 90))));
    const segs = pack(blocks, 300, 600);
    expect(segs.length).toBeGreaterThan(10);
    expect(Math.max(...segs.map((s) => s.text.length))).toBeLessThanOrEqual(600);
    // No text lost: every word block appears in some segment.
    const all = segs.map((s) => s.text).join('\n\n');
    expect(all.split(/\s+/).filter((w) => w === 'word').length).toBe(
      blocks.filter((b) => b.kind === 'text').reduce((n, b) => n + b.text.split(' ').length, 0),
    );
  });

  it('rejects an impossible window', () => {
    expect(() => new SectionPacker({ minChars: 500, maxChars: 100 })).toThrow(RangeError);
  });
});

describe('splitLong', () => {
  it('prefers line breaks, then sentences, then spaces, then a hard cut', () => {
    expect(splitLong('aaaa\nbbbb\ncccc', 10)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(splitLong('One two. Three four.', 12)).toEqual(['One two.', 'Three four.']);
    expect(splitLong('alpha beta gamma', 11)).toEqual(['alpha beta', 'gamma']);
    expect(splitLong('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});
