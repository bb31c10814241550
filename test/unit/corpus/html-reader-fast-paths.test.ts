/**
 * The HTML reader reads by offsets into its buffer: tag names looked up by id, attributes scanned
 * in place, block text collapsed as it is copied in. Each of those must give exactly what the
 * plain definition gives — checked here against it on ugly input — and the reader must give the
 * same blocks wherever the pieces are cut.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/corpus/dedup.ts';
import { attrsNameBoilerplate, isBoilerplate } from '../../../src/core/corpus/html-attrs.ts';
import { TagNames, TagReader, readTag } from '../../../src/core/corpus/html-tags.ts';
import { CollapsedText } from '../../../src/core/corpus/html-text.ts';
import { HtmlBlockReader } from '../../../src/core/corpus/html.ts';
import { collapseSpaces } from '../../../src/core/corpus/normalise.ts';
import type { Block } from '../../../src/core/corpus/segment.ts';

function read(html: string, size: number): Block[] {
  const reader = new HtmlBlockReader();
  const out: Block[] = [];
  for (let i = 0; i < html.length; i += size) out.push(...reader.push(html.slice(i, i + size)));
  return [...out, ...reader.end()];
}
const text = (t: string, offset: number, tight = false): Block => ({ kind: 'text', text: t, offset, tight });
const heading = (level: number, t: string, offset: number): Block => ({ kind: 'heading', level, text: t, offset });

describe('HtmlBlockReader on markup cut anywhere', () => {
  const cases: [string, string, Block[]][] = [
    ['entities, split or unknown', '<p>Tom &amp; Jerry &eacute;t&eacute; &#x41;&#66; &bogus; &shy;x</p>', [text('Tom & Jerry été AB &bogus; x', 3)]],
    [
      'raw text ends in any letter case, not at a lookalike',
      '<p>a</p><script>if (a </b) x = "</SCR" + "IPT>"</script ><p>b</p><STYLE>p{}</style><p>c</p>',
      [text('a', 3), text('b', 60), text('c', 86)],
    ],
    ['CDATA is literal', '<p>x <![CDATA[ 1 < 2 &amp; <b> ]]> y</p>', [text('x 1 < 2 &amp; <b> y', 3)]],
    [
      'upper-case tags',
      '<UL><LI>One<LI>Two</UL><H2 CLASS="x">Head</H2><P>Text<BR>more</P>',
      [text('- One', 8, true), text('- Two', 15, true), heading(2, 'Head', 37), text('Text\nmore', 49)],
    ],
    [
      'a boilerplate element of any name nests and closes in any case',
      '<p>keep</p><my-widget class="consent">gone<my-widget>nested</my-widget>still gone</MY-WIDGET><p>after</p>',
      [text('keep', 3), text('after', 96)],
    ],
    ['headings: a soft hyphen only, a line break', '<h3>&shy;</h3><h4>a <br> b </h4><p>x</p>', [heading(3, '', 4), heading(4, 'a b', 18), text('x', 35)]],
    [
      'bare list markers are not blocks',
      '<p>12.</p><p> - </p><ol><li><p>first</p></li><li>12. x</li></ol><p>3.5</p>',
      [text('1. first', 31, true), text('2. 12. x', 49, true), text('3.5', 67)],
    ],
    [
      'table cells, nested tables',
      '<table><tr><td>a <br> b </td><td></td><td><p>c</p>d</td></tr><tr><th>e<table><tr><td>f</td></tr></table>g</th></tr></table>tail',
      [text('a b | c d', 15, true), text('efg', 69, true), text('tail', 127)],
    ],
    ['code blocks keep lines; U+2028 breaks a paragraph line', '<pre>a\u2028b\n\n\n    c  <br>d\t</pre><p>e\u2028 f</p>', [text('a\nb\n\n    c\nd', 5), text('e\nf', 33)]],
    ['a dotted capital I before raw text', '<p>İstanbul</p><script>x</SCRİPT></script><p>ok</p>', [text('İstanbul', 3), text('ok', 45)]],
    ['comments, declarations, processing instructions', '<p>a<!-- <p>b --> c<!x> d<?pi?> e</p><!-- never closed', [text('a c d e', 3)]],
    ['"<" that starts no tag is text', '<p>a < b, c<d<p>e</ p>f</>g<1>h</p>', [text('a < b, ce</ p>f</>g<1>h', 3)]],
    [
      'class, id and role as the attribute regex reads them',
      '<div class="x" id=\'toc\'>no</div><span role=" navigation ">no</span><p data-id=nav>yes</p><p class="s\u212Aip-link">yes</p><p ID=Menu>no</p>',
      [text('yes', 82), text('yes', 110)],
    ],
  ];
  for (const [name, html, expected] of cases) {
    it(name, () => {
      for (const size of [1, 2, 3, 5, 7, 64, html.length]) expect(read(html, size), `pieces of ${size}`).toEqual(expected);
    });
  }
});

describe('boilerplate attributes read in place', () => {
  const samples = [
    '',
    ' class="nav"',
    ' CLASS = "Main NAVBAR"',
    " id='cookie-banner'",
    ' id=toc',
    ' role="  Navigation "',
    ' role=navigationx',
    ' data-id=nav',
    ' xid=nav',
    ' class="literal"',
    ' class="s\u212Aip-link"',
    ' cl\u0130ass=nav',
    ' \u0130d=nav',
    ' x"y class=nav"',
    ' a=b<class=nav',
    ' a=`class=nav',
    ' class= "ads',
    ' class=\t"ad  share"',
    ' title="class=nav" href=x',
    ' class',
    ' class=',
    ' id="_the_system_initialization" class="title"',
    ' class="a\u00a0toc"',
    ' class="a\u2028consent"',
    ' =class=nav',
    ' /class=nav/',
  ];
  it('answers as the attribute regex does', () => {
    for (const attrs of samples) expect(attrsNameBoilerplate(`<p${attrs}>`, 2, 2 + attrs.length), JSON.stringify(attrs)).toBe(isBoilerplate(attrs));
    expect(samples.filter((a) => attrsNameBoilerplate(a, 0, a.length))).toEqual([
      ' class="nav"',
      ' CLASS = "Main NAVBAR"',
      " id='cookie-banner'",
      ' id=toc',
      ' role="  Navigation "',
      ' x"y class=nav"',
      ' class=\t"ad  share"',
      ' class="a\u00a0toc"',
      ' class="a\u2028consent"',
      ' =class=nav',
    ]);
  });

  it('answers as the attribute regex does on random attribute soup', () => {
    const rand = seededRandom(5);
    const pick = (items: string[]) => items[Math.floor(rand() * items.length)] as string;
    const names = ['class', 'CLASS', 'id', 'Id', 'role', 'data-id', 'x', '\u0130d', 'cl\u212Ass'];
    const values = ['nav', 'NAV', 'toc x', 'a  ads', 'skip-link', 'navigation', ' navigation ', 'literal', 's\u212Aip-link', ''];
    const junk = ['', '', '', ' ', '"', "'", '/', '<', '`', '=', '\u00a0'];
    let matched = 0;
    for (let n = 0; n < 5000; n++) {
      let attrs = '';
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
        const q = pick(['"', "'", '', '']);
        attrs += pick([' ', '\t', '']) + pick(names) + pick(['', ' ']) + pick(['=', '=', '']) + pick(['', ' ']) + q + pick(values) + pick([q, q, '']) + pick(junk);
      }
      const expected = isBoilerplate(attrs);
      if (expected) matched++;
      expect(attrsNameBoilerplate(`x${attrs}y`, 1, 1 + attrs.length), JSON.stringify(attrs)).toBe(expected);
    }
    // Both answers occur often enough for the comparison to mean something.
    expect(matched).toBeGreaterThan(200);
    expect(matched).toBeLessThan(4800);
  });
});

describe('block text collapsed as it is copied in', () => {
  const samples = [
    '',
    '   ',
    'Hello,   World!',
    '  leading and trailing  ',
    'tabs\tand\nnew\r\nlines\u00a0nbsp\u2028ls\u3000ideographic\ufeffbom',
    'a\u2028\u2028 b \u2028',
    '\u2028 x',
    'one two',
    ' single ',
    'İstanbul  😀 \ud800 x',
  ];
  /** The definitions: collapseSpaces, and for paragraphs each U+2028-separated line collapsed, blank lines dropped. */
  const lines = (t: string) => t.split('\u2028').map(collapseSpaces).filter((l) => l !== '').join('\n');

  it('gives what collapsing the whole text gives, however the text arrives', () => {
    for (const sample of samples) {
      for (let cut = 0; cut <= sample.length; cut++) {
        const para = new CollapsedText(true);
        const cell = new CollapsedText(false);
        // Two runs cut from a longer string, as the reader passes them.
        const buf = `<${sample}>`;
        for (const t of [para, cell]) {
          t.add(buf, 1, 1 + cut);
          t.add(buf, 1 + cut, 1 + sample.length);
        }
        expect(para.take(), JSON.stringify([sample, cut])).toBe(lines(sample));
        expect(cell.take(), JSON.stringify([sample, cut])).toBe(collapseSpaces(sample));
      }
    }
  });

  it('says whether a run had words, and keeps line breaks only where asked', () => {
    const para = new CollapsedText(true);
    expect(para.add(' \n\t', 0, 3)).toBe(false);
    expect(para.add('a', 0, 1)).toBe(true);
    para.addLineBreak();
    para.add('b', 0, 1);
    para.addSpace();
    para.add('c', 0, 1);
    expect(para.take()).toBe('a\nb c');
    const cell = new CollapsedText(false);
    cell.add('a', 0, 1);
    cell.addLineBreak();
    cell.add('b', 0, 1);
    expect(cell.take()).toBe('a b');
    expect(cell.take()).toBe('');
  });

  it('knows a bare list marker as the marker regex does', () => {
    for (const t of ['-', '1.', '12.', '123456789012345.', '.', '1', '-1.', '1.2.', 'a.', '--', '1 .', '']) {
      const c = new CollapsedText(true);
      c.add(t, 0, t.length);
      expect(c.isBareMarker(), JSON.stringify(t)).toBe(/^\s*(?:-|\d+\.)\s*$/.test(t));
    }
  });
});

describe('tag names by id', () => {
  const names = new TagNames(['br', 'pre', 'table', 'h1', 'h6', 'blockquote', 'x-y:z']);

  it('reads tags as readTag does, with the id of the name in any letter case', () => {
    const tag = new TagReader(names);
    const html = '<BR/><Pre class="a>b"><h1 ><H6><blockquoteX><x-Y:Z q=\'>\'><table \n/ ><h7></TABLE><a title=\'x><br';
    const seen: [string, number, boolean][] = [];
    for (let lt = html.indexOf('<'); lt !== -1; lt = html.indexOf('<', lt + 1)) {
      const ok = tag.read(html, lt);
      const ref = readTag(html, lt);
      expect(ok, `@${lt}`).toBe(ref !== null);
      if (!ref) continue;
      expect([tag.closing, html.slice(tag.nameStart, tag.nameEnd), html.slice(tag.nameEnd, tag.gt), tag.gt + 1]).toEqual([ref.closing, ref.name, ref.attrs, ref.end]);
      if (!tag.closing) expect(tag.selfClosing, ref.name).toBe(ref.attrs.trimEnd().endsWith('/'));
      seen.push([ref.name, tag.id, tag.closing]);
    }
    expect(seen).toEqual([
      ['BR', 1, false],
      ['Pre', 2, false],
      ['h1', 4, false],
      ['H6', 5, false],
      ['blockquoteX', 0, false],
      ['x-Y:Z', 7, false],
      ['table', 3, false],
      ['h7', 0, false],
      ['TABLE', 3, true],
    ]);
  });
});
