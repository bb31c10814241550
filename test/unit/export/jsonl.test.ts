import { describe, expect, it } from 'vitest';
import { JsonlBuffer, parseJsonl, toJsonLine, wellFormed } from '../../../src/core/export/jsonl.ts';

/** Strings that have broken JSONL exporters: each must come back from JSON.parse unchanged. */
const NASTY: Record<string, string> = {
  lineSeparator: 'before\u2028after',
  paragraphSeparator: 'before\u2029after',
  nextLine: 'before\u0085after',
  emoji: 'whale 🐋 and 😀',
  zwjFamily: 'family 👩‍👩‍👧‍👦 and flag 🏳️‍🌈 and skin 👍🏽',
  arabic: 'مرحبا بالعالم، كيف حالك؟',
  hebrew: 'שלום עולם',
  mixedDirection: 'English then עברית then 123 then العربية\u200f.',
  nul: 'a\u0000b',
  controls: 'tab\there\nnew line\rreturn\u000bvt\u000cff\u001bescape\u007fdel',
  quotes: 'she said "hi" and \'bye\'',
  backslashes: 'C:\\path\\to\\file and \\n not a newline and \\u2028 literal',
  literalEscapedSurrogate: 'the text \\ud800 is six characters',
  combining: 'e\u0301 vs é, Å vs A\u030a',
  bom: '\ufeffstarts with a BOM',
  astralMath: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛',
};

describe('toJsonLine', () => {
  it.each(Object.entries(NASTY))('round-trips %s exactly with no raw line breaks', (_name, text) => {
    const { line, replaced } = toJsonLine({ text });
    expect(replaced).toBe(0);
    expect(JSON.parse(line)).toEqual({ text });
    expect((JSON.parse(line) as { text: string }).text).toBe(text);
    // A line-oriented reader (Python's splitlines, too) sees exactly one line.
    expect(line).not.toMatch(/[\n\r\u0085\u2028\u2029\u000b\u000c\u001c\u001d\u001e]/);
  });

  it('writes the line separators as escapes', () => {
    expect(toJsonLine({ t: 'a\u2028b\u2029c\u0085d' }).line).toBe('{"t":"a\\u2028b\\u2029c\\u0085d"}');
  });

  it('escapes NUL and controls the way JSON requires', () => {
    expect(toJsonLine('a\u0000b\u001fc\td').line).toBe('"a\\u0000b\\u001fc\\td"');
  });

  it('keeps emoji, RTL text and quotes as they are (UTF-8 in the file, not escapes)', () => {
    expect(toJsonLine({ q: 'שלום "🐋"\\' }).line).toBe('{"q":"שלום \\"🐋\\"\\\\"}');
  });

  it('replaces lone surrogates with U+FFFD and counts them, keeping real pairs', () => {
    const value = { a: 'x\ud800y', b: ['\udc00', 'ok 🐋'], c: { d: 'end\udbff' } };
    const { line, replaced } = toJsonLine(value);
    expect(replaced).toBe(3);
    expect(line).toBe('{"a":"x\ufffdy","b":["\ufffd","ok 🐋"],"c":{"d":"end\ufffd"}}');
    expect(JSON.parse(line)).toEqual({ a: 'x\ufffdy', b: ['\ufffd', 'ok 🐋'], c: { d: 'end\ufffd' } });
  });

  it('replaces lone surrogates in keys too', () => {
    const { line, replaced } = toJsonLine({ ['k\udfff']: 1 });
    expect(replaced).toBe(1);
    expect(line).toBe('{"k\ufffd":1}');
  });

  it('does not count a literal backslash-u-d800 in text as a surrogate', () => {
    const { line, replaced } = toJsonLine({ t: '\\ud800' });
    expect(replaced).toBe(0);
    expect(line).toBe('{"t":"\\\\ud800"}');
  });

  it('counts reversed and doubled lone surrogates one by one', () => {
    expect(wellFormed('\udc00\ud800')).toEqual({ text: '\ufffd\ufffd', replaced: 2 });
    expect(wellFormed('\ud800\ud800\udc00')).toEqual({ text: '\ufffd\ud800\udc00', replaced: 1 });
    expect(wellFormed('👩‍👧')).toEqual({ text: '👩‍👧', replaced: 0 });
  });

  it('refuses a value with no JSON form', () => {
    expect(() => toJsonLine(undefined)).toThrow(TypeError);
  });
});

describe('JsonlBuffer', () => {
  it('joins lines with a trailing newline and totals lines and replacements', () => {
    const b = new JsonlBuffer();
    b.add({ a: 1 });
    b.add({ b: '\ud800' });
    expect(b.pending).toBe(true);
    expect(b.take()).toBe('{"a":1}\n{"b":"\ufffd"}\n');
    expect(b.pending).toBe(false);
    expect(b.take()).toBe('');
    b.add([]);
    expect(b.take()).toBe('[]\n');
    expect({ lines: b.lines, replaced: b.replaced }).toEqual({ lines: 3, replaced: 1 });
  });

  it('writes every nasty string in one file that parses back line by line', () => {
    const b = new JsonlBuffer();
    for (const [name, text] of Object.entries(NASTY)) b.add({ name, text });
    const { values, bad } = parseJsonl(b.take());
    expect(bad).toEqual([]);
    expect(values).toEqual(Object.entries(NASTY).map(([name, text]) => ({ name, text })));
  });
});

describe('parseJsonl', () => {
  it('reports lines that do not parse by number', () => {
    expect(parseJsonl('{"a":1}\nnope\n[2]\n')).toEqual({ values: [{ a: 1 }, [2]], bad: [2] });
  });
});
