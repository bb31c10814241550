import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HtmlBlockReader } from '../../../src/core/corpus/html.ts';
import { MarkdownBlockReader, stripInline } from '../../../src/core/corpus/markdown.ts';
import { decodeEntities, unwrapParagraph } from '../../../src/core/corpus/normalise.ts';
import { ParagraphReader } from '../../../src/core/corpus/plaintext.ts';
import type { Block } from '../../../src/core/corpus/segment.ts';

type Reader = { push(piece: string): Block[]; end(): Block[] };

/** Feeds `text` in pieces of `size` characters, as a stream would. */
function read(reader: Reader, text: string, size = 7): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...reader.push(text.slice(i, i + size)));
  return [...out, ...reader.end()];
}
const brief = (blocks: Block[]) => blocks.map((b) => (b.kind === 'heading' ? `H${b.level}:${b.text}` : b.tight ? `~${b.text}` : b.text));

describe('HtmlBlockReader', () => {
  const page = `<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head><body>
<nav><ul><li>Home</li><li>About</li></ul></nav>
<div class="navheader">Prev | Next</div>
<header><h1>Site name</h1></header>
<h1 id="x">Caf&eacute; &amp; <em>bar</em></h1>
<p>First   paragraph
 with <a href="#">a link</a>&nbsp;and &#8220;quotes&#x201D;.</p>
<script>if (a < b) { document.write("<p>no</p>") }</script>
<!-- a comment with <p>markup</p> -->
<h2>Steps</h2>
<ol><li><p>Open it.</p></li><li>Close it.</li></ol>
<pre>  line one
    indented &lt;two&gt;
</pre>
<table><tr><th>key</th><th>value</th></tr><tr><td>a</td><td><p>b</p></td></tr></table>
<div class="toc"><p>Table of Contents</p><div><p>1. Nested</p></div></div>
<p>Line<br>break</p>
<footer>© 2024</footer>
</body></html>`;

  it('keeps headers and readable text, drops scripts, navigation and boilerplate, whatever the piece size', () => {
    const expected = [
      'H1:Café & bar',
      'First paragraph with a link and “quotes”.',
      'H2:Steps',
      '~1. Open it.',
      '~2. Close it.',
      'line one\n  indented <two>',
      '~key | value',
      '~a | b',
      'Line\nbreak',
    ];
    for (const size of [1, 7, 64, page.length]) expect(brief(read(new HtmlBlockReader(), page, size))).toEqual(expected);
  });

  it('records where each block starts in the decoded text', () => {
    const html = '<p>alpha</p>\n<h2>beta</h2><p>gamma</p>';
    expect(read(new HtmlBlockReader(), html, 3).map((b) => [b.text, b.offset])).toEqual([
      ['alpha', 3],
      ['beta', 17],
      ['gamma', 29],
    ]);
  });

  it('survives malformed markup: unclosed tags, stray "<", unterminated comment', () => {
    const html = '<p>a < b and c<d<p>next <b>bold<div>block</span></p><h3>t<!-- never closed';
    // "<d<p>" is one (unknown, inline) tag named "d<p", as a browser reads it.
    expect(brief(read(new HtmlBlockReader(), html, 5))).toEqual(['a < b and cnext bold', 'block', 'H3:t']);
  });

  it('keeps the Debian chapter navigation and table of contents out of the text', () => {
    const blocks = read(new HtmlBlockReader(), readFileSync('test/fixtures/corpus/debian-ch08.en.html', 'utf8'), 4096);
    const text = blocks.map((b) => b.text).join('\n');
    expect(blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'Chapter 8. I18N and L10N', offset: 1434 });
    // 14 <h1>–<h3> in the file, none of them inside the dropped navigation.
    expect(blocks.filter((b) => b.kind === 'heading').length).toBe(14);
    expect(text).not.toContain('Table of Contents');
    expect(text).not.toContain('Prev');
    expect(text).toContain('# dpkg-reconfigure locales');
  });
});

describe('MarkdownBlockReader', () => {
  it('reads headers, strips inline markup and keeps code, lists and tables readable', () => {
    const md = `---
title: front matter
---
Title
=====

Some *emphasis*, **strong**, \`code\`, a [link](http://x.y) and ![alt text](i.png).
Soft-wrapped line.

## Install ##

- first item
  continued
- second

1. one
2) two

\`\`\`sh
$ make   install
\`\`\`

| a | b |
|---|---|
| 1 | 2 |

[ref]: http://example.com
***
    indented code
`;
    expect(brief(read(new MarkdownBlockReader(), md, 5))).toEqual([
      'H1:Title',
      'Some emphasis, strong, code, a link and alt text. Soft-wrapped line.',
      'H2:Install',
      '~- first item continued',
      '~- second',
      '~1. one',
      '~2. two',
      '$ make   install',
      '~a | b',
      '~1 | 2',
      'indented code',
    ]);
  });

  it('strips inline html and escapes', () => {
    expect(stripInline('a <b>bold</b> \\*not em\\* snake_case_word &amp; ~~gone~~')).toBe('a bold *not em* snake_case_word & gone');
  });
});

describe('ParagraphReader and normalisation', () => {
  it('re-flows hard-wrapped prose but keeps short lines and list items', () => {
    const text = `    This paragraph was wrapped by a tool at about seventy columns so
    that it fits a terminal, and it goes on to a second line here.

      * Item one that is long enough to wrap onto a second line of
        text in the plain-text edition.
      * Item two

    # dpkg-reconfigure locales
    $ ls`;
    expect(read(new ParagraphReader(), text, 11).map((b) => [b.text, b.offset])).toEqual([
      ['This paragraph was wrapped by a tool at about seventy columns so that it fits a terminal, and it goes on to a second line here.', text.indexOf('This')],
      ['* Item one that is long enough to wrap onto a second line of text in the plain-text edition.\n* Item two', text.indexOf('* Item one')],
      ['# dpkg-reconfigure locales\n$ ls', text.indexOf('# dpkg')],
    ]);
  });

  it('decodes entities and leaves unknown ones alone', () => {
    expect(decodeEntities('&lt;&#65;&#x42;&unknown;&amp;&#0;')).toBe('<AB&unknown;&\uFFFD');
    expect(unwrapParagraph('a  b  c')).toBe('a b c');
    // Columns (three or more spaces, table rules) keep their layout and their line breaks.
    expect(unwrapParagraph('name      value of the setting here\n|---|---|')).toBe('name      value of the setting here\n|---|---|');
  });
});
