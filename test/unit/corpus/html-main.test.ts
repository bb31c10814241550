/**
 * Main text of a page held whole: boilerplate goes by blocks — by what its markup says, its
 * links, where it stands around the body text — but never the element that holds the main text.
 * Each case is an ugly page from the development set's failures, cut down.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HtmlPageReader } from '../../../src/core/corpus/html-whole.ts';
import { CorpusPipeline } from '../../../src/core/corpus/pipeline.ts';

const para = (topic: string) =>
  `${topic} is described here at some length, with enough words to be a paragraph of real body text that a reader came for, and more words after that.`;
const texts = (html: string) => {
  const r = new HtmlPageReader();
  r.push(html);
  return r.end().map((b) => (b.kind === 'heading' ? `H${b.level}:${b.text}` : b.text));
};

describe('main text of a page', () => {
  it('drops navigation, sidebars, share bars, comments, footers and link lists, keeps the article', () => {
    const html = `<html><body><header><a href="/">Site</a><nav><ul><li><a href="/a">Home</a></li><li><a href="/b">News</a></li></ul></nav></header>
      <main><article><h1>The title</h1><p class="byline">By Someone</p><p>${para('The topic')}</p>
      <div class="share-buttons">Share on Facebook</div><p>${para('A second point')}</p>
      <p>Read more: <a href="/x">A linked related story with a long title</a></p>
      <h2>Related posts</h2><p>${para('A related teaser')}</p></article>
      <aside><h3>Popular</h3><p>${para('A sidebar teaser')}</p></aside>
      <section id="comments"><p>${para('A reader comment')}</p></section></main>
      <footer><p>© 2024 Site. All rights reserved.</p></footer></body></html>`;
    expect(texts(html)).toEqual(['H1:The title', para('The topic'), para('A second point')]);
  });

  it('never drops the element that holds the main text: a <body class="ads">, a <form> around the page, an unclosed <nav>', () => {
    const article = `<h1>Title</h1><p>${para('One')}</p><p>${para('Two')}</p>`;
    const expected = ['H1:Title', para('One'), para('Two')];
    expect(texts(`<body class="page has-ads sidebar-right ads">${article}</body>`)).toEqual(expected);
    expect(texts(`<body><form id="aspnetForm" action="/">${article}</form></body>`)).toEqual(expected);
    expect(texts(`<body><div><nav><a href="/">Home</a></div>${article}</body>`)).toEqual(expected);
    expect(texts(`<body><header class="entry-header">${article}</header><footer><a href="/">x</a></footer></body>`)).toEqual(expected);
  });

  it('keeps what follows an empty or image-only heading, and mutes what is never text', () => {
    const html = `<body><h2><img src="logo.png" alt=""></h2><p>${para('After an image heading')}</p>
      <p>Country: <select><option>Afghanistan<option>Albania</select> chosen</p><p>日本<ruby>語<rt>ご</rt></ruby>です、${para('Ruby')}</p></body>`;
    expect(texts(html)).toEqual(['H2:', para('After an image heading'), 'Country: chosen', `日本語です、${para('Ruby')}`]);
  });

  it('reads a stray quote in a tag as browsers do, instead of losing the page to it', () => {
    expect(texts(`<body><img height="63""><p>${para('After the quote')}</p><p class='x'>"quoted" text</p></body>`)).toEqual([para('After the quote'), '"quoted" text']);
  });

  it("takes the Debian Administrator's Handbook chapter navigation out of its first segment", () => {
    const file = new CorpusPipeline().openFile({ docId: 'ch12', path: 'ch12.html', format: 'html' });
    const segments = [...file.pushText(readFileSync('test/fixtures/corpus/handbook-chapter-top.html', 'utf8')), ...file.end()];
    expect(segments.map((s) => s.provenance.headers)).toEqual([['Chapter 12. Advanced Administration']]);
    const text = segments[0]?.text ?? '';
    expect(text.startsWith('Chapter 12. Advanced Administration\n\nThis chapter revisits')).toBe(true);
    for (const nav of ['Download the ebook', 'Prev', 'Next', "The Debian Administrator's Handbook", '12.1.1. Software RAID', 'Top of page']) expect(text).not.toContain(nav);
    expect(text).toContain('12.1. RAID and LVM\n\nChapter 4, Installation presented');
  });
});
