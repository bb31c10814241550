/**
 * HTML to blocks without a DOM: a small forgiving tokenizer that takes the file in pieces (so a
 * huge page never has to sit in memory twice) and emits headers and paragraph-like blocks for
 * the packer. Web pages are malformed as a rule, so nothing here needs a tag to be closed:
 * blocks end at the next block tag, and dropped regions end when their own tag's nesting
 * returns to zero.
 *
 * Two modes. Page mode (a page held whole, html-whole.ts) drops nothing while reading: it builds
 * the element tree (html-page.ts), notes for every block the element its text started in and its
 * link text, mutes text that is never text (a select's options, ruby readings), and leaves the
 * choice of the main text to html-main.ts at the end. Streaming mode (files too big to hold)
 * drops as it reads: script/style and other non-text elements, navigation/header/footer/aside,
 * and elements whose class, id or role names boilerplate (a table of contents, a cookie banner,
 * a "navheader"). Both keep as readable text: code blocks (line breaks preserved), list items
 * ("- x"), table rows (cells joined by " | ").
 *
 * Speed: tag-dense pages (DocBook, most of the web) have a tag every few characters, so the
 * tokenizer (html-tokens.ts) works on offsets into its buffer — a tag's name is an id looked up
 * from its characters, its attributes are only scanned, and text is collapsed as it is copied
 * in (html-text.ts) — and makes a string only for what goes into a block.
 */
import type { Block } from './segment.ts';
import { stripInvisible, tidyLines } from './normalise.ts';
import { attrsNameBoilerplate } from './html-attrs.ts';
import { CollapsedText, LINE_BREAK } from './html-text.ts';
import type { TagReader } from './html-tags.ts';
import { HtmlTokenizer } from './html-tokens.ts';
import { PageTree, type BlockMarks } from './html-page.ts';
import { attrsKind } from './html-vocab.ts';
import * as NAMES from './html-names.ts';
import { selectMainBlocks } from './html-main.ts';

// When tsx loads a module as CommonJS (from a script outside this package), every use of an
// imported name calls two getters; module-local copies keep the per-tag path free of them.
const { TAGS, FLAGS, TAG_KIND, A, BODY, HEAD, HTML } = NAMES;
const { BR, PRE, TABLE, TR, TD, TH, UL, OL, LI, DT, DD, H1, H6, DROP, RAW, VOIDED, BLOCKISH } = NAMES;
const namesBoilerplate = attrsNameBoilerplate;

/** A dropped element: its name (id, or lower-case name when it has no id) and how deep it nests. */
interface Dropped {
  id: number;
  name: string;
  depth: number;
}

/** Longest text a heading can have and still head a section (news headlines run to 150–200 characters). */
const MAX_HEADING_CHARS = 200;

export class HtmlBlockReader extends HtmlTokenizer {
  #drop: Dropped | null = null;
  /** Page mode: the element tree, and per emitted block where it started and its link text. */
  readonly #tree: PageTree | null;
  readonly #marks: BlockMarks = { el: [], links: [] };
  #blockEl = -1;
  #blockLinks = 0;
  #headingEl = -1;
  #pre = 0;
  /** The open heading: its level, where its text starts (-1 until it has text), and where its tag ends (the offset of a heading with no text). */
  #heading: { level: number; offset: number; at: number } | null = null;
  readonly #headingText = new CollapsedText(false);
  /** The block's text outside code blocks, collapsed as it comes. */
  readonly #text = new CollapsedText(true);
  /** The block's text inside a code block, as written (its lines are tidied at the end). */
  #rawText = '';
  #textOffset = -1;
  #tight = false;
  #lists: { ordered: boolean; n: number }[] = [];
  #table = 0;
  #cells: string[] = [];
  readonly #cell = new CollapsedText(false);
  #out: Block[] = [];

  /**
   * `page`: the whole page is fed before `end()`, which returns its main-text blocks only
   * (html-main.ts decides); otherwise blocks stream out as read, boilerplate dropped by its
   * markup alone.
   */
  constructor(page = false) {
    super(TAGS);
    this.#tree = page ? new PageTree(A) : null;
  }

  /** Feeds the next piece of the document; returns the blocks it completed. */
  push(piece: string): Block[] {
    this.feed(piece, false);
    // Page mode decides at the end.
    return this.#tree !== null ? [] : this.#take();
  }

  end(): Block[] {
    this.feed('', true);
    this.#flushRow();
    this.#flush();
    this.#closeHeading();
    if (this.#tree !== null) return selectMainBlocks(this.#tree, this.#take(), this.#marks);
    return this.#take();
  }

  #take(): Block[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  protected onRawTextEnd(id: number): void {
    if (this.#drop?.id === id) this.#drop = null;
  }

  protected onOpen(tag: TagReader, buf: string): void {
    const id = tag.id;
    const flags = FLAGS[id] as number;
    const selfClosing = tag.selfClosing;
    const drop = this.#drop;
    const tree = this.#tree;
    if (tree !== null) {
      if ((flags & RAW) !== 0 && !selfClosing) {
        this.readRawText(id);
        return;
      }
      if ((flags & VOIDED) === 0 && !selfClosing) {
        // Inline elements (a, span, em… — no id, no "-" in the name) are not read for class words: they hold no blocks of their own.
        const kind = (TAG_KIND[id] as number) | (tag.hasAttributes() && (id !== 0 ? id !== A : buf.lastIndexOf('-', tag.nameEnd) > tag.nameStart) ? attrsKind(buf, tag.nameEnd, tag.gt) : 0);
        if (id === BODY) tree.close(HEAD, '');
        tree.open(id, id === 0 ? tag.lowerName(buf) : '', kind);
      }
    } else if (drop !== null) {
      if (isDropped(drop, tag, buf) && !selfClosing && (flags & VOIDED) === 0) drop.depth++;
      if ((flags & RAW) !== 0 && !selfClosing) this.readRawText(id);
      return;
    } else if ((flags & DROP) !== 0 || ((flags & VOIDED) === 0 && tag.hasAttributes() && namesBoilerplate(buf, tag.nameEnd, tag.gt))) {
      if (selfClosing || (flags & VOIDED) !== 0) return;
      this.#drop = { id, name: id === 0 ? tag.lowerName(buf) : '', depth: 1 };
      if ((flags & RAW) !== 0) this.readRawText(id);
      return;
    }
    if ((flags & RAW) !== 0 && !selfClosing) {
      this.readRawText(id);
      return;
    }
    if (id >= H1 && id <= H6) {
      this.#flush();
      this.#closeHeading();
      this.#heading = { level: id - H1 + 1, offset: -1, at: this.base + tag.gt + 1 };
      if (tree !== null) this.#headingEl = tree.top;
      return;
    }
    if (this.#table > 0 && id !== TABLE) {
      if (this.#table === 1 && id === TR) this.#flushRow();
      else if (this.#table === 1 && (id === TD || id === TH)) this.#endCell();
      else if (id === BR || (flags & BLOCKISH) !== 0 || id === LI) this.#appendSpace();
      return;
    }
    switch (id) {
      case BR:
        if (this.#heading !== null) this.#headingText.addSpace();
        else if (this.#pre > 0) this.#rawText += LINE_BREAK;
        else this.#text.addLineBreak();
        return;
      case PRE:
        this.#flush();
        this.#pre++;
        return;
      case TABLE:
        this.#flush();
        this.#table++;
        return;
      case UL:
      case OL:
        this.#flush();
        this.#lists.push({ ordered: id === OL, n: 0 });
        return;
      case LI: {
        this.#flush();
        const list = this.#lists[this.#lists.length - 1];
        if (list) list.n++;
        this.#tight = true;
        const marker = '  '.repeat(Math.max(0, this.#lists.length - 1)) + (list?.ordered ? `${list.n}. ` : '- ');
        if (this.#pre > 0) this.#rawText = marker;
        else this.#text.add(marker, 0, marker.length);
        return;
      }
      case DT:
      case DD:
        this.#flush();
        this.#tight = true;
        return;
    }
    // A paragraph opening inside a list item continues the item's "- " line.
    if ((flags & BLOCKISH) !== 0) this.#flush(true);
  }

  protected onClose(tag: TagReader, buf: string): void {
    const id = tag.id;
    const drop = this.#drop;
    const tree = this.#tree;
    if (tree !== null) {
      if (id !== BODY && id !== HTML) tree.close(id, id === 0 ? tag.lowerName(buf) : '');
    } else if (drop !== null) {
      if (isDropped(drop, tag, buf) && --drop.depth === 0) this.#drop = null;
      return;
    }
    if (id >= H1 && id <= H6) {
      this.#closeHeading();
      return;
    }
    if (id === TABLE) {
      if (this.#table === 1) this.#flushRow();
      this.#table = Math.max(0, this.#table - 1);
      return;
    }
    const flags = FLAGS[id] as number;
    if (this.#table > 0) {
      if (this.#table === 1 && id === TR) this.#flushRow();
      else if (this.#table === 1 && (id === TD || id === TH)) this.#endCell();
      else if ((flags & BLOCKISH) !== 0) this.#appendSpace();
      return;
    }
    if (id === PRE) {
      this.#flush();
      this.#pre = Math.max(0, this.#pre - 1);
      return;
    }
    if (id === UL || id === OL) {
      this.#flush();
      this.#lists.pop();
      return;
    }
    if (id === LI || id === DT || id === DD || (flags & BLOCKISH) !== 0) this.#flush();
  }

  protected onText(s: string, from: number, to: number, offset: number): void {
    if (this.#drop !== null) return;
    const tree = this.#tree;
    if (tree !== null && tree.muted > 0) return;
    const heading = this.#heading;
    const text = heading !== null ? this.#headingText : this.#table > 0 ? this.#cell : this.#pre > 0 ? null : this.#text;
    // Page mode counts the characters of link text a block gets.
    const inLink = tree !== null && tree.links > 0;
    const before = inLink ? (text === null ? this.#rawText.length : text.text.length) : 0;
    if (text !== null) text.add(s, from, to);
    else this.#rawText += from === 0 && to === s.length ? s : s.slice(from, to);
    if (offset >= 0) {
      if (heading !== null) {
        if (heading.offset < 0) heading.offset = offset;
      } else if (this.#textOffset < 0) {
        this.#textOffset = offset;
        if (tree !== null) this.#blockEl = tree.top;
      }
    }
    if (inLink) this.#blockLinks += (text === null ? this.#rawText.length : text.text.length) - before;
  }

  /** Page mode: notes the block just emitted (or, with `emitted` false, forgets the one that came to nothing). */
  #mark(emitted: boolean, el = this.#blockEl): void {
    if (emitted) {
      this.#marks.el.push(el < 0 ? 0 : el);
      this.#marks.links.push(this.#blockLinks);
    }
    this.#blockEl = -1;
    this.#blockLinks = 0;
  }

  /** A space between table cells' contents (or in a heading inside a table). */
  #appendSpace(): void {
    if (this.#heading !== null) this.#headingText.addSpace();
    else this.#cell.addSpace();
  }

  #closeHeading(): void {
    const h = this.#heading;
    if (!h) return;
    this.#heading = null;
    const text = stripInvisible(this.#headingText.take());
    const offset = h.offset < 0 ? h.at : h.offset;
    // A "heading" of paragraph length is a paragraph set in large type (a lead, a pull quote):
    // its text is body text, and it heads no section.
    this.#out.push(text.length > MAX_HEADING_CHARS ? { kind: 'text', text, offset } : { kind: 'heading', level: h.level, text, offset });
    if (this.#tree !== null) this.#mark(true, this.#headingEl);
  }

  #endCell(): void {
    const cell = this.#cell.take();
    if (cell !== '') this.#cells.push(cell);
  }

  #flushRow(): void {
    this.#endCell();
    if (this.#cells.length > 0) {
      this.#out.push({ kind: 'text', text: stripInvisible(this.#cells.join(' | ')), offset: this.#textOffset < 0 ? this.base : this.#textOffset, tight: true });
      this.#cells = [];
      if (this.#tree !== null) this.#mark(true);
    } else if (this.#tree !== null) this.#mark(false);
    this.#textOffset = -1;
  }

  #flush(keepBareMarker = false): void {
    // Inside a table the text goes to cells, and the pending row keeps where it started.
    if (this.#table > 0) return;
    let text: string;
    let bareMarker: boolean;
    if (this.#pre > 0) {
      const raw = this.#rawText;
      bareMarker = /^\s*(?:-|\d+\.)\s*$/.test(raw);
      if (bareMarker && keepBareMarker) return;
      this.#rawText = '';
      text = stripInvisible(tidyLines(raw.replaceAll(LINE_BREAK, '\n')));
    } else {
      bareMarker = this.#text.isBareMarker();
      if (bareMarker && keepBareMarker) return;
      text = stripInvisible(this.#text.take());
    }
    const offset = this.#textOffset;
    const tight = this.#tight;
    this.#textOffset = -1;
    this.#tight = false;
    const emitted = text !== '' && !bareMarker;
    if (emitted) this.#out.push({ kind: 'text', text, offset: offset < 0 ? this.base : offset, tight });
    if (this.#tree !== null) this.#mark(emitted);
  }
}

/** Whether the tag just read is the dropped element's kind. */
function isDropped(drop: Dropped, tag: TagReader, buf: string): boolean {
  return drop.id !== 0 ? tag.id === drop.id : tag.id === 0 && tag.isNamed(buf, drop.name);
}
