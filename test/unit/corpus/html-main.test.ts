/**
 * Main text of a page held whole: boilerplate goes by blocks — by what its markup says, its
 * links, where it stands around the body text — but never the element that holds the main text.
 * Each case is an ugly page from the development set's failures, cut down.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/corpus/dedup.ts';
import { isInside, PageTree } from '../../../src/core/corpus/html-page.ts';
import { HtmlPageReader } from '../../../src/core/corpus/html-whole.ts';

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

  it('keeps the element that holds the body text and all around it, whatever their class says', () => {
    // Cut down from an Elementor post: the article sits in a "widget" wrapper holding under half the
    // page's text; its paragraphs, with more commas, outscore the sidebar's.
    const sidebar = Array.from({ length: 4 }, (_, k) => `<p>${para(`Sidebar teaser ${k}`)}</p>`).join('');
    const one = para('One, two, three, four, five, six');
    const two = para('Seven, eight, nine, ten, eleven, twelve');
    const html = `<body><div class="elementor-widget-wrap"><div class="elementor-widget-container"><h1>Post</h1>
      <p>${one}</p><p>${two}</p></div></div><div class="widget sidebar">${sidebar}</div></body>`;
    expect(texts(html)).toEqual(['H1:Post', one, two]);
  });

  it('takes a "teaser" for a lead paragraph when it holds no link, and for a card to another article when it does', () => {
    const html = `<body><article><h1>News</h1><div class="teaser-text"><p>${para('The lead')}</p></div>
      <p>${para('The body, with commas, many')}</p><p>${para('More body, more commas')}</p></article>
      <div class="teaser"><h3><a href="/other">Another story entirely, told at length over there</a></h3><p>${para('Its blurb')}</p></div></body>`;
    expect(texts(html)).toEqual(['H1:News', para('The lead'), para('The body, with commas, many'), para('More body, more commas')]);
  });

  it('drops the section under a furniture heading only inside the element around that heading', () => {
    // A sidebar printed before the article: its "Most read" must not take the article's own headings with it.
    const html = `<body><div class="story"><h1>Cocktail</h1><p>${para('Intro, with commas')}</p>
      <div class="box"><h2>Most read</h2><h4>Nine gins you should try</h4><p>${para('A list teaser')}</p></div>
      <h4>How it is made</h4><p>${para('The method, step by step')}</p><h4>Some history</h4><p>${para('The legend, as told')}</p></div></body>`;
    expect(texts(html)).toEqual(['H1:Cocktail', para('Intro, with commas'), 'H4:How it is made', para('The method, step by step'), 'H4:Some history', para('The legend, as told')]);
  });

  it('keeps outside the main region only body text, lists, the title, and the lines and headings of sections with such text of their own', () => {
    const story = Array.from({ length: 8 }, (_, k) => `<p>${para(`Paragraph ${k}, in full`)}</p>`).join('');
    const html = `<body><div class="top"><a href="/">Home</a><div>Mehr aus Thüringen</div></div>
      <div class="wrap"><h1>Title</h1><h2>A subtitle that says what the story is about</h2><div class="body">${story}</div>
      <div class="next"><h3>Another thing</h3><div>Jede kleine Hilfe zählt für uns</div></div>
      <div class="section"><div class="titlepage"><h2>2. A sibling section</h2></div><p>${para('Its own paragraph')}</p><ul><li>its list</li><li>of points</li></ul></div>
      <div class="section"><div class="titlepage"><h2>3. Reminders</h2></div><p>Here are some reminders:</p><div class="itemizedlist"><ul><li>Backup your data</li><li>Read your log files</li><li>Don't be root</li></ul></div></div></div></body>`;
    expect(texts(html)).toEqual([
      'H1:Title',
      'H2:A subtitle that says what the story is about',
      ...Array.from({ length: 8 }, (_, k) => para(`Paragraph ${k}, in full`)),
      'H2:2. A sibling section',
      para('Its own paragraph'),
      '- its list',
      '- of points',
      'H2:3. Reminders',
      'Here are some reminders:',
      '- Backup your data',
      '- Read your log files',
      "- Don't be root",
    ]);
  });

  it('drops captions, credits, calls to subscribe, label lines, disclaimers and date lines, but not prose, headings or tables that mention them', () => {
    const html = `<body><article><h1>Avalanches</h1><p>${para('Snow, layers, weak layers')}</p>
      <p>Abbildung 4: klassische Schwachschicht.</p><p>Roman Prymula, photo: Archives du Gouvernement tchèque</p><p>Photo by ev on Unsplash</p>
      <p>To view the full story, please subscribe to The Haitian Times.</p><p>Never miss the latest news by signing up to our newsletter today!</p>
      <p>Kategorie: News, open3</p><p>Tags:</p><p>Alle Angaben ohne Gewähr</p><p>ANZEIGE - Heute mal ausgehen?</p><p>11 Jan 2019</p><p>Video verfügbar bis 28.02.2021</p><p>Asked 8 years, 2 months ago</p>
      <p>5. Setup each input source by right clicking the GUI toolbar icon.</p>
      <table><tr><td>long-iso</td><td>2009-01-19 00:15</td></tr></table>
      <h2>Why newsletter subscriptions fail</h2><p>${para('Our newsletter, which we subscribe to, is the topic, and the photo: it')}</p></article></body>`;
    expect(texts(html)).toEqual([
      'H1:Avalanches',
      para('Snow, layers, weak layers'),
      '5. Setup each input source by right clicking the GUI toolbar icon.',
      'long-iso | 2009-01-19 00:15',
      'H2:Why newsletter subscriptions fail',
      para('Our newsletter, which we subscribe to, is the topic, and the photo: it'),
    ]);
  });

  it('reads a heading of paragraph length as the paragraph it is', () => {
    // A blog's first paragraph set as an <h3> for its large type: as a heading it headed an empty section and was lost.
    const lead = `${para('The lead, set in large type')} ${para('Its second sentence')}`;
    const html = `<body><article><h1>Letter</h1><h3 style="text-align: justify;">${lead}</h3><h3>A real heading</h3><p>${para('Under it')}</p></article></body>`;
    expect(texts(html)).toEqual(['H1:Letter', lead, 'H3:A real heading', para('Under it')]);
  });
});

describe('a file too big to hold, streamed', () => {
  it('keeps a DocBook boxed note (div.sidebar) and drops the navigation its markup names', () => {
    // A limit of 64 characters sends this file down the streaming path, as a book over 4 Mi characters goes.
    const r = new HtmlPageReader(64);
    const blocks = [...r.push(`<body><div class="navheader"><a href="p.html">Prev</a></div><p>${para('The text')}</p>`), ...r.push(`<div class="sidebar"><p>TIP Starting a mirror in degraded mode</p><p>${para('The note')}</p></div></body>`), ...r.end()];
    expect(blocks.map((b) => b.text)).toEqual([para('The text'), 'TIP Starting a mirror in degraded mode', para('The note')]);
  });
});

describe('the page tree', () => {
  it('answers "is x inside y" from subtree ranges exactly as walking up the parents does', () => {
    const rand = seededRandom(7);
    for (let round = 0; round < 20; round++) {
      const tree = new PageTree(999);
      // Random opens and closes (an end tag closes everything opened inside its element, as in browsers).
      for (let step = 0; step < 300; step++) {
        if (rand() < 0.6) tree.open(1 + Math.floor(rand() * 5), '', 0);
        else tree.close(1 + Math.floor(rand() * 5), '');
      }
      const walk = (el: number, c: number) => {
        for (let e = el; e >= 0; e = tree.parent[e] as number) if (e === c) return true;
        return false;
      };
      const fast: string[] = [];
      const slow: string[] = [];
      for (let el = 0; el < tree.count; el++) {
        let a = '';
        let b = '';
        for (let c = 0; c < tree.count; c++) {
          a += isInside(tree, el, c) ? '1' : '0';
          b += walk(el, c) ? '1' : '0';
        }
        fast.push(a);
        slow.push(b);
      }
      expect(fast).toEqual(slow);
      expect(tree.count).toBeGreaterThan(100);
    }
  });
});
