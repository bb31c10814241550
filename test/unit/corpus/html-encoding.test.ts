/**
 * HTML bytes to text as browsers decode them: BOM, <meta charset>, http-equiv, windows-1252 for
 * pages that are not UTF-8 — whatever the piece size — and the full table of named references.
 */
import { describe, expect, it } from 'vitest';
import { HtmlByteDecoder, declaredEncoding, decodeHtmlBytes, decodeWindows1252 } from '../../../src/core/corpus/html-encoding.ts';
import { NAMED_ENTITIES } from '../../../src/core/corpus/html-entities.ts';
import { decodeEntities, stripInvisible } from '../../../src/core/corpus/normalise.ts';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);
const decode = (bytes: Uint8Array, piece: number) => [...decodeHtmlBytes(bytes, piece)].join('');
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('choosing the encoding', () => {
  it('reads the BOM, then <meta charset>, then http-equiv', () => {
    expect(declaredEncoding(Uint8Array.of(0xef, 0xbb, 0xbf, 0x3c))).toEqual({ encoding: 'utf-8', bom: 3 });
    expect(declaredEncoding(Uint8Array.of(0xff, 0xfe, 0x3c, 0))).toEqual({ encoding: 'utf-16le', bom: 2 });
    expect(declaredEncoding(latin1('<head><META CHARSET="ISO-8859-1">'))).toEqual({ encoding: 'windows-1252', bom: 0 });
    expect(declaredEncoding(latin1('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'))).toEqual({ encoding: 'shift_jis', bom: 0 });
    expect(declaredEncoding(latin1("<meta content='text/html; charset=koi8-r' http-equiv=content-type>"))).toEqual({ encoding: 'koi8-r', bom: 0 });
    // A <meta> cannot make a page UTF-16, an unknown label is no declaration.
    expect(declaredEncoding(latin1('<meta charset="utf-16">'))).toEqual({ encoding: 'utf-8', bom: 0 });
    expect(declaredEncoding(latin1('<meta charset="no-such-thing"><p>x'))).toBe(null);
  });

  it('decodes windows-1252 as the standard says, not as ISO-8859-1', () => {
    expect(decodeWindows1252(Uint8Array.of(0x93, 0x41, 0x94, 0x80, 0xe9, 0x81))).toBe('“A”€é\u0081');
  });

  it('falls back to windows-1252 for a page that is not UTF-8, and keeps a UTF-8 page with a stray bad byte', () => {
    const page = latin1('<html><p>Caf\xe9 cr\xe8me, \x93quoted\x94 \x96 done</p>');
    for (const piece of [1, 7, 64, page.length]) expect(decode(page, piece), `pieces of ${piece}`).toBe('<html><p>Café crème, “quoted” – done</p>');
    const mostlyUtf8 = concat(utf8('<meta charset=utf-8><p>Größe, naïve, déjà '), Uint8Array.of(0xff), utf8(' fin</p>'));
    expect(decode(mostlyUtf8, 5)).toBe('<meta charset=utf-8><p>Größe, naïve, déjà \uFFFD fin</p>');
  });

  it('follows a declared legacy encoding and drops the BOM, whatever the piece size', () => {
    const sjis = concat(latin1('<meta charset="shift_jis"><p>'), Uint8Array.of(0x93, 0xfa, 0x96, 0x7b), latin1('</p>'));
    for (const piece of [1, 3, 4096]) expect(decode(sjis, piece)).toBe('<meta charset="shift_jis"><p>日本</p>');
    const bom = concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8('<p>é</p>'));
    expect(decode(bom, 2)).toBe('<p>é</p>');
    const d = new HtmlByteDecoder();
    d.push(bom);
    d.end();
    expect(d.encoding).toBe('utf-8');
  });
});

describe('character references and invisible characters', () => {
  it('knows every HTML5 name, two code points where the standard has them', () => {
    expect(NAMED_ENTITIES.size).toBe(2125);
    expect(decodeEntities('&atilde; &CounterClockwiseContourIntegral; &NotEqualTilde; &fjlig; &ThickSpace;')).toBe('ã ∳ ≂̸ fj \u205f\u200a');
  });

  it('decodes legacy names with no ";", numeric C1 references as windows-1252, and leaves unknown names', () => {
    expect(decodeEntities('&copy 2024 &eacutet &amp &notit; &#150; &#x93;x&#148; &#39 &bogus; &#0;')).toBe('© 2024 ét & ¬it; – “x” \' &bogus; \uFFFD');
  });

  it('removes soft hyphens and zero-width characters, written or referenced', () => {
    expect(decodeEntities('Auf&shy;bau&#173; zero&#8203;width &zwj;')).toBe('Aufbau zerowidth ');
    expect(stripInvisible('Auf\u00adbau zero\u200bwidth\ufeff')).toBe('Aufbau zerowidth');
  });
});
