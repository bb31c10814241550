/**
 * Which blocks of a page held whole are its main text. The reader has built the element tree
 * (html-page.ts) with what each element's markup says of it (html-vocab.ts) and tagged every
 * block with the element its text started in; here each element gets the text it holds, and
 * boilerplate is removed by blocks, never wholesale:
 *
 * 1. An element its markup calls boilerplate (nav, aside, footer, a form, a page-level header,
 *    role=navigation…, class/id words like "sidebar", "comments", "share", "related") is dropped
 *    with all it holds — unless it holds the main text: half or more of the page's text that is
 *    not link text. So `<body class="… ads">`, a `<form>` around the whole page or a `<nav>`
 *    whose end never comes keep their text, as does the container around the article.
 *    A form with 400 characters of text of its own is content (a shop's product page).
 * 2. Of what is left, a block that is mostly link text is a menu, a list of related links or a
 *    "Read more:" line, and goes.
 * 3. Once the body text has begun, a heading that names furniture ("Lesen Sie auch", "Related
 *    posts") goes with its section, and a short line that does, or credits a picture, goes alone.
 * 4. A text block that repeats an earlier one (a teaser, a caption) goes.
 * 5. Short lines before the first paragraph of body text and after the last (dates, bylines,
 *    "Comments are closed.") go, unless they share that paragraph's container.
 *
 * The same ideas as Readability's and jusText's (link density, class/id vocabulary, the text an
 * element holds) and trafilatura's (structural tags, pruning by class words); our own weights.
 */
import type { Block } from './segment.ts';
import type { BlockMarks, PageTree } from './html-page.ts';
import { isBoilerplateHeader } from './header-filters.ts';
import { KIND_CONTAINER, KIND_NEVER_TEXT, KIND_FORM, KIND_FURNITURE, KIND_HEADER, KIND_HIDDEN, KIND_MAIN, KIND_NEGATIVE } from './html-vocab.ts';

/** An element its markup calls boilerplate is kept when it holds at least this share of the page's non-link text. */
const HOLDS_MAIN_TEXT = 0.5;
/** A form holding this many characters of non-link text is content. */
const FORM_TEXT = 400;
/** A block whose share of link text is above this is navigation. */
const MAX_LINK_SHARE = 0.5;
/** A line at most this long can be furniture by its words alone. */
const MAX_FURNITURE_LINE = 80;
/** Text blocks at least this long are compared with earlier ones for repeats. */
const MIN_REPEAT = 20;
/** A text block with this many characters outside links is a paragraph of body text. */
const BODY_TEXT_CHARS = 80;

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
  /** Non-link characters each element holds, its descendants' included. */
  const own = new Float64Array(n);
  for (let i = 0; i < blocks.length; i++) {
    const el = marks.el[i] as number;
    if (never[el]) continue;
    own[el] = (own[el] as number) + Math.max(0, (blocks[i] as Block).text.length - (marks.links[i] as number));
  }
  for (let el = n - 1; el > 0; el--) {
    const p = parent[el] as number;
    own[p] = (own[p] as number) + (own[el] as number);
  }
  const total = own[0] as number;
  const dropped = new Uint8Array(n);
  const inMain = new Uint8Array(n);
  for (let el = 1; el < n; el++) {
    const p = parent[el] as number;
    const k = kind[el] as number;
    inMain[el] = (inMain[p] as number) | ((k & KIND_MAIN) !== 0 ? 1 : 0);
    if (dropped[p] || never[el]) {
      dropped[el] = 1;
      continue;
    }
    if (isBoilerplate(k, inMain[el] as number, own[el] as number) && (own[el] as number) < HOLDS_MAIN_TEXT * total) dropped[el] = 1;
  }
  const kept: number[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block;
    if (dropped[marks.el[i] as number]) continue;
    const links = marks.links[i] as number;
    if (b.kind === 'text' && links > MAX_LINK_SHARE * b.text.length) continue;
    kept.push(i);
  }
  return trimEdges(tree, blocks, marks, withoutRepeats(blocks, withoutFurnitureSections(blocks, kept)));
}

/** Lines that credit a picture rather than say anything ("Foto: dpa", "Bild via Pixabay", "Quelle: …"). */
const CREDIT = /^\(?(?:foto|fotos|photo|photos|bild|bilder|image|images|quelle|source|credit|credits|imagen|crédit|crédits|fuente)\b\s*(?:via\b|:|\/|©)/i;

/**
 * A heading that names furniture ("Lesen Sie auch", "Mehr zum Thema", "Vous aimerez aussi") goes
 * with everything under it up to the next heading of its level or above; a short line that names
 * furniture ("Weiterlesen:", "Share this") or credits a picture goes alone.
 */
function withoutFurnitureSections(blocks: readonly Block[], kept: number[]): number[] {
  const out: number[] = [];
  let skipBelow = 0;
  // Only once the text has begun: a page's own title is its topic ("Privacy policy", "Impressum").
  let begun = false;
  for (const i of kept) {
    const b = blocks[i] as Block;
    if (!begun) {
      begun = b.kind === 'text' && b.text.length >= BODY_TEXT_CHARS;
      out.push(i);
      continue;
    }
    if (b.kind === 'heading') {
      if (skipBelow > 0 && b.level > skipBelow) continue;
      skipBelow = 0;
      if (b.level > 1 && isBoilerplateHeader(b.text)) {
        skipBelow = b.level;
        continue;
      }
    } else if (skipBelow > 0) continue;
    else if (b.text.length <= MAX_FURNITURE_LINE && (isBoilerplateHeader(b.text) || CREDIT.test(b.text))) continue;
    out.push(i);
  }
  return out;
}

/** A text block seen earlier on the page (a teaser repeating the first paragraph, a caption repeating a sentence) goes the second time. */
function withoutRepeats(blocks: readonly Block[], kept: number[]): number[] {
  const seen = new Set<string>();
  return kept.filter((i) => {
    const b = blocks[i] as Block;
    if (b.kind !== 'text' || b.text.length < MIN_REPEAT) return true;
    if (seen.has(b.text)) return false;
    seen.add(b.text);
    return true;
  });
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/** Whether a block is body text: a paragraph of some length that is not mostly links (shorter in scripts with no spaces). */
function isBodyText(b: Block, links: number): boolean {
  if (b.kind !== 'text') return false;
  const own = b.text.length - links;
  return own >= BODY_TEXT_CHARS || (own >= BODY_TEXT_CHARS / 3 && CJK.test(b.text));
}

/**
 * Short lines before the first paragraph of body text (dates, bylines, "Category: News") and
 * after the last ("Comments are closed.", "2 months ago") are the page's furniture around the
 * text — unless they sit in the same container as that paragraph (a sign-off, a last line of a
 * recipe); short lines between paragraphs (list items, ingredients) are part of the text.
 * Headings before the first paragraph stay: they are its title. A page with no paragraph of body
 * text at all (lyrics, a product page) keeps all it has.
 */
function trimEdges(tree: PageTree, blocks: readonly Block[], marks: BlockMarks, kept: number[]): Block[] {
  let first = -1;
  let last = -1;
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    if (!isBodyText(blocks[i] as Block, marks.links[i] as number)) continue;
    if (first < 0) first = k;
    last = k;
  }
  if (first < 0) return kept.map((i) => blocks[i] as Block);
  const head = containerOf(tree, marks.el[kept[first] as number] as number);
  const tail = containerOf(tree, marks.el[kept[last] as number] as number);
  const out: Block[] = [];
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const b = blocks[i] as Block;
    const el = marks.el[i] as number;
    if (k < first ? b.kind === 'heading' || isInside(tree, el, head) : k <= last || isInside(tree, el, tail)) out.push(b);
  }
  return out;
}

/** The nearest block container around an element. */
function containerOf(tree: PageTree, el: number): number {
  let e = tree.parent[el] as number;
  while (e > 0 && ((tree.kind[e] as number) & KIND_CONTAINER) === 0) e = tree.parent[e] as number;
  return Math.max(e, 0);
}

function isInside(tree: PageTree, el: number, container: number): boolean {
  for (let e = el; e >= 0; e = tree.parent[e] as number) if (e === container) return true;
  return false;
}
