/**
 * Which blocks of a page held whole are its main text. The reader has built the element tree
 * (html-page.ts) with what each element's markup says of it (html-vocab.ts) and tagged every
 * block with the element its text started in; here each element gets the text it holds, and
 * boilerplate is removed by blocks, never wholesale:
 *
 * 1. The body-text element is found as Readability finds it: each paragraph scores its
 *    container in full and the container's container by half (more for a longer paragraph, a
 *    point per comma); the best-scored element wins. It and every element around it are never
 *    boilerplate, whatever their class says (`<div class="elementor-widget-wrap">` around a
 *    post, `<body class="… ads">`, a `<form>` around the whole page). The text area is the
 *    smallest element around it holding 70% of the page's body text (paragraphs of 80
 *    characters or more).
 * 2. An element its markup calls boilerplate (nav, aside, footer, a form, a page-level header,
 *    role=navigation…, class/id words like "comments", "share", "related"; "teaser" only when
 *    it holds links; "sidebar" only when it holds links and lies outside the text area, for
 *    inside the text a DocBook sidebar is a boxed note) is dropped with all it holds, however
 *    much that is (a sidebar of long teasers). A page of scraps (no body-text element, or under
 *    500 characters of body text: a product page, a gallery, lyrics) keeps instead an element
 *    holding half or more of its non-link text. A form with 400 characters of text of its own
 *    is content (a shop's product page).
 * 3. Of what is left, a block that is mostly link text is a menu, a list of related links or a
 *    "Read more:" line, and goes.
 * 4. Outside the text area only paragraphs of body text, list items and table rows
 *    (ingredients, a sibling section's points), the page's h1 and the headings just before the
 *    area (the article's title and subtitle) stay by themselves; a short line stays with the
 *    text it belongs to — the nearest container around it holding another block — when that
 *    holds one of those ("Here are some reminders:" and its list, a boxed note's title and its
 *    text), and a heading that is no link stays when what follows it does (a sibling section's
 *    title). The short lines around an article go: teaser titles, "Mehr aus Thüringen",
 *    donation calls, dates of other posts. A page of scraps has no text area.
 * 5. Line by line (html-lines.ts): captions, calls to subscribe, disclaimers, label lines and
 *    date lines; sections under a furniture heading; repeats; short lines at the edges of the
 *    body text.
 *
 * The same ideas as Readability's (the scored container, link density, class/id vocabulary),
 * jusText's (text blocks judged by their length and links) and trafilatura's (structural tags,
 * pruning by class words); our own weights, tuned on ../shared/extract-dev only.
 */
import type { Block } from './segment.ts';
import { containerOf, isInside, sumSubtrees, type BlockMarks, type PageTree } from './html-page.ts';
import { isBodyText, isTight, trimEdges, withoutFurnitureLines } from './html-lines.ts';
import { KIND_NEVER_TEXT, KIND_FORM, KIND_FURNITURE, KIND_HEADER, KIND_HIDDEN, KIND_MAIN, KIND_NEGATIVE, KIND_WEAK_NEGATIVE, KIND_ASIDE } from './html-vocab.ts';

/** An element its markup calls boilerplate is kept when it holds at least this share of the page's non-link text. */
const HOLDS_MAIN_TEXT = 0.5;
/** A form holding this many characters of non-link text is content. */
const FORM_TEXT = 400;
/** A block whose share of link text is above this is navigation. */
const MAX_LINK_SHARE = 0.5;
/** Characters of non-link text a paragraph needs to score its container. */
const MIN_PARAGRAPH = 25;
/** Share of the page's body text the text area holds. */
const AREA_SHARE = 0.7;
/**
 * Characters of body text (paragraphs of 80 or more) below which a page is one of scraps — a
 * product page, a gallery, lyrics: an element named as boilerplate but holding half its text
 * stays, and there is no text area to keep short lines out of.
 */
const MIN_BODY_TEXT = 500;

/** Whether an element's markup (KIND_* bits `k`) makes it boilerplate, given whether it is inside main/article and the non-link text it holds. */
function isBoilerplate(k: number, inMain: number, own: number): boolean {
  if ((k & (KIND_HIDDEN | KIND_FURNITURE)) !== 0) return true;
  // A form with paragraphs of its own is content (a shop's product page); search, login and comment forms are not.
  if ((k & KIND_FORM) !== 0) return own < FORM_TEXT;
  if ((k & KIND_NEGATIVE) !== 0) return (k & KIND_MAIN) === 0;
  // A header is page furniture at page level, an article's own header (title, lead) inside one.
  return (k & KIND_HEADER) !== 0 && !inMain;
}

export function selectMainBlocks(tree: PageTree, blocks: readonly Block[], marks: BlockMarks): Block[] {
  const n = tree.count;
  const { parent, kind } = tree;
  // What is never text (a select's options, a button's label) weighs nothing, however long.
  const never = new Uint8Array(n);
  for (let el = 1; el < n; el++) never[el] = (never[parent[el] as number] as number) | (((kind[el] as number) & KIND_NEVER_TEXT) !== 0 ? 1 : 0);
  /** What each element holds, its descendants' included: characters outside links, in links, and of body-text paragraphs. */
  const own = new Float64Array(n);
  const linked = new Float64Array(n);
  const body = new Float64Array(n);
  for (let i = 0; i < blocks.length; i++) {
    const el = marks.el[i] as number;
    if (never[el]) continue;
    const b = blocks[i] as Block;
    const links = marks.links[i] as number;
    own[el] = (own[el] as number) + Math.max(0, b.text.length - links);
    linked[el] = (linked[el] as number) + links;
    if (isBodyText(b, links)) body[el] = (body[el] as number) + b.text.length;
  }
  sumSubtrees(tree, own, linked, body);
  const total = own[0] as number;
  const top = bodyTextElement(tree, blocks, marks, never);
  // A page with a body-text element and text of some substance is settled: an element named as
  // boilerplate that does not hold that element goes whatever its size (a sidebar of long
  // teasers). On a page of scraps, one holding half the text is its content.
  const settled = top > 0 && (body[0] as number) >= MIN_BODY_TEXT;
  const area = settled ? textArea(tree, body, top) : 0;
  const dropped = new Uint8Array(n);
  const inMain = new Uint8Array(n);
  for (let el = 1; el < n; el++) {
    const p = parent[el] as number;
    let k = kind[el] as number;
    inMain[el] = (inMain[p] as number) | ((k & KIND_MAIN) !== 0 ? 1 : 0);
    if (dropped[p] || never[el]) {
      dropped[el] = 1;
      continue;
    }
    // The body-text element and all around it are never boilerplate.
    if (isInside(tree, top, el)) continue;
    if ((k & KIND_WEAK_NEGATIVE) !== 0 && (linked[el] as number) > 0) k |= KIND_NEGATIVE;
    if ((k & KIND_ASIDE) !== 0 && !(area > 0 && isInside(tree, el, area)) && (linked[el] as number) > 0) k |= KIND_NEGATIVE;
    if (isBoilerplate(k, inMain[el] as number, own[el] as number) && (settled || (own[el] as number) < HOLDS_MAIN_TEXT * total)) dropped[el] = 1;
  }
  const kept: number[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block;
    if (dropped[marks.el[i] as number]) continue;
    if (b.kind === 'text' && (marks.links[i] as number) > MAX_LINK_SHARE * b.text.length) continue;
    kept.push(i);
  }
  const focused = area > 0 ? withinTextArea(tree, blocks, marks, kept, area) : kept;
  return trimEdges(tree, blocks, marks, withoutFurnitureLines(tree, blocks, marks, focused));
}

/** The text area: the smallest element around the body-text element `top` holding 70% of the page's body text (`body`: per element, descendants' included). */
function textArea(tree: PageTree, body: Float64Array, top: number): number {
  let area = top;
  while (area > 0 && (body[area] as number) < AREA_SHARE * (body[0] as number)) area = tree.parent[area] as number;
  return area;
}

/**
 * The element that holds the body text, as Readability finds it: each paragraph of 25 or more
 * characters outside links scores its container with 1 point, 1 per comma and 1 per 100
 * characters (3 at most), and the container's container with half that; the document (0) when
 * the page has no paragraph.
 */
function bodyTextElement(tree: PageTree, blocks: readonly Block[], marks: BlockMarks, never: Uint8Array): number {
  const score = new Float64Array(tree.count);
  let best = 0;
  const add = (el: number, points: number) => {
    score[el] = (score[el] as number) + points;
    if ((score[el] as number) > (score[best] as number)) best = el;
  };
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block;
    const el = marks.el[i] as number;
    if (b.kind !== 'text' || never[el]) continue;
    const len = b.text.length - (marks.links[i] as number);
    if (len < MIN_PARAGRAPH) continue;
    let commas = 0;
    for (let c = b.text.indexOf(','); c !== -1; c = b.text.indexOf(',', c + 1)) commas++;
    const points = 1 + commas + Math.min(Math.floor(len / 100), 3);
    const p = containerOf(tree, el);
    add(p, points);
    const g = containerOf(tree, p);
    if (g > 0) add(g, points / 2);
  }
  return best;
}

/** Step 4: outside the text area, only body text, lists, titles and what belongs with them stay. */
function withinTextArea(tree: PageTree, blocks: readonly Block[], marks: BlockMarks, kept: number[], area: number): number[] {
  const inside = kept.map((i) => isInside(tree, marks.el[i] as number, area));
  const lead = new Set<number>();
  for (let k = inside.indexOf(true) - 1; k >= 0 && (blocks[kept[k] as number] as Block).kind === 'heading'; k--) lead.add(kept[k] as number);
  // Outside the text area a block stays by itself when it is body text, a list item or table row
  // (ingredients, a sibling section's points), the page's h1 or the article's title and subtitle.
  const stays = kept.map((i, k) => {
    const b = blocks[i] as Block;
    return inside[k] || isBodyText(b, marks.links[i] as number) || isTight(b) || lead.has(i) || (b.kind === 'heading' && b.level === 1);
  });
  // A short line stays with the text it belongs to: the nearest container around it that holds
  // another block ("Here are some reminders:" and its list, a boxed note's title and its text) —
  // when that container holds a block that stays and lies outside the text area, or is the very
  // container of such a block. A heading that is no link stays when what follows it does.
  const count = new Int32Array(tree.count);
  const staying = new Int32Array(tree.count);
  const ownOfStaying = new Set<number>();
  kept.forEach((i, k) => {
    const el = marks.el[i] as number;
    count[el] = (count[el] as number) + 1;
    if (stays[k] && !inside[k]) {
      staying[el] = (staying[el] as number) + 1;
      ownOfStaying.add(containerOf(tree, el));
    }
  });
  sumSubtrees(tree, count, staying);
  const belongs = (el: number): boolean => {
    let c = containerOf(tree, el);
    if (ownOfStaying.has(c)) return true;
    while (c > 0 && (count[c] as number) <= 1) c = containerOf(tree, c);
    return c > 0 && (staying[c] as number) > 0 && !isInside(tree, area, c);
  };
  const keep = new Uint8Array(kept.length);
  let next = false;
  for (let k = kept.length - 1; k >= 0; k--) {
    const i = kept[k] as number;
    const b = blocks[i] as Block;
    const near = belongs(marks.el[i] as number) || (b.kind === 'heading' && next && (marks.links[i] as number) * 2 <= b.text.length);
    keep[k] = stays[k] || near ? 1 : 0;
    next = keep[k] === 1 && (b.kind !== 'heading' || next);
  }
  return kept.filter((_, k) => keep[k] === 1);
}

