/**
 * HTML to blocks without a DOM: a small forgiving tokenizer that takes the file in pieces (so a
 * huge page never has to sit in memory twice) and emits headers and paragraph-like blocks for
 * the packer. Web pages are malformed as a rule, so nothing here needs a tag to be closed:
 * blocks end at the next block tag, and dropped regions end when their own tag's nesting
 * returns to zero.
 *
 * Dropped: script/style and other non-text elements, navigation/header/footer/aside, and
 * elements whose class, id or role names boilerplate (a table of contents, a cookie banner, a
 * "navheader"). Kept as readable text: code blocks (line breaks preserved), list items ("- x"),
 * table rows (cells joined by " | ").
 */
import type { Block } from './segment.ts';
import { collapseSpaces, decodeEntities, tidyLines } from './normalise.ts';
import { endsWithSlash, findRawEnd, headingLevel, isAsciiLetter, isBoilerplateCached, readTag } from './html-tags.ts';

/** Elements whose whole content is skipped. */
const DROP_TAGS = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'svg', 'math', 'nav', 'header', 'footer', 'aside',
  'form', 'button', 'select', 'textarea', 'iframe', 'object', 'canvas', 'video', 'audio', 'map',
]);
/** Elements whose content is raw text the tokenizer must not read as tags. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'xmp', 'title', 'noscript']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'blockquote', 'ul', 'ol', 'dl', 'figure', 'figcaption', 'address',
  'center', 'hr', 'fieldset', 'details', 'summary', 'body', 'html', 'caption', 'legend', 'table', 'hgroup',
]);
const LINE_BREAK = '\u2028';
/** How far the tokenizer waits for a tag to close before treating "<" as text. */
const MAX_TAG = 8192;

export class HtmlBlockReader {
  #buf = '';
  /** Absolute offset of #buf[0] in the decoded document. */
  #base = 0;
  #drop: { tag: string; depth: number } | null = null;
  #rawEnd: string | null = null;
  #pre = 0;
  #heading: { level: number; text: string; offset: number } | null = null;
  #text = '';
  #textOffset = -1;
  #tight = false;
  #lists: { ordered: boolean; n: number }[] = [];
  #table = 0;
  #cells: string[] = [];
  #cell: string | null = null;
  #out: Block[] = [];

  /** Feeds the next piece of the document; returns the blocks it completed. */
  push(piece: string): Block[] {
    this.#buf += piece;
    this.#run(false);
    return this.#take();
  }

  end(): Block[] {
    this.#run(true);
    this.#flushRow();
    this.#flush();
    this.#closeHeading();
    return this.#take();
  }

  #take(): Block[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #run(final: boolean): void {
    const buf = this.#buf;
    let i = 0;
    while (i < buf.length) {
      if (this.#rawEnd !== null) {
        const at = findRawEnd(buf, this.#rawEnd, i);
        if (at === -1) {
          // Keep a tail in case the closing tag is split across pieces.
          i = final ? buf.length : Math.max(i, buf.length - this.#rawEnd.length);
          break;
        }
        const close = buf.indexOf('>', at);
        if (close === -1 && !final) {
          i = at;
          break;
        }
        if (this.#drop?.tag === this.#rawEnd.slice(2)) this.#drop = null;
        this.#rawEnd = null;
        i = close === -1 ? buf.length : close + 1;
        continue;
      }
      const lt = buf.indexOf('<', i);
      if (lt === -1) {
        // Hold back a possibly unfinished entity ("&am") until the next piece.
        const amp = buf.lastIndexOf('&');
        const stop = !final && amp >= i && buf.length - amp < 40 && !buf.includes(';', amp) ? amp : buf.length;
        this.#onText(buf.slice(i, stop), this.#base + i);
        i = stop;
        break;
      }
      if (lt > i) this.#onText(buf.slice(i, lt), this.#base + i);
      i = lt;
      const next = this.#markup(buf, lt, final);
      if (next === -1) break;
      i = next;
    }
    this.#base += i;
    this.#buf = buf.slice(i);
  }

  /** Handles markup at `lt`; returns the index after it, or -1 to wait for more input. */
  #markup(buf: string, lt: number, final: boolean): number {
    const after = buf.charCodeAt(lt + 1);
    // A letter or "/" after "<" (nearly every tag) cannot start a comment, CDATA or declaration.
    if (after === 47 || isAsciiLetter(after)) return this.#tag(buf, lt, final);
    if (buf.startsWith('<!--', lt)) {
      const end = buf.indexOf('-->', lt + 4);
      if (end === -1) return final ? buf.length : -1;
      return end + 3;
    }
    if (buf.startsWith('<![CDATA[', lt)) {
      const end = buf.indexOf(']]>', lt);
      if (end === -1 && !final) return -1;
      const stop = end === -1 ? buf.length : end;
      this.#onText(buf.slice(lt + 9, stop).replace(/&/g, '&amp;'), this.#base + lt + 9);
      return end === -1 ? buf.length : end + 3;
    }
    if (lt + 1 >= buf.length && !final) return -1;
    if (buf[lt + 1] === '!' || buf[lt + 1] === '?') {
      if (!final && '<!--'.startsWith(buf.slice(lt, lt + 4)) && buf.length - lt < 4) return -1;
      const end = buf.indexOf('>', lt);
      if (end === -1) return final ? buf.length : -1;
      return end + 1;
    }
    return this.#tag(buf, lt, final);
  }

  #tag(buf: string, lt: number, final: boolean): number {
    const m = readTag(buf, lt);
    if (!m) {
      // No '>' yet: this may be a tag split across pieces; wait (boundedly) before calling it text.
      if (!final && buf.indexOf('>', lt) === -1 && buf.length - lt < MAX_TAG) return -1;
      this.#onText('<', this.#base + lt);
      return lt + 1;
    }
    const name = m.name.toLowerCase();
    const attrs = m.attrs;
    const selfClosing = endsWithSlash(attrs);
    if (m.closing) this.#close(name);
    else this.#open(name, attrs, selfClosing);
    return m.end;
  }

  #open(name: string, attrs: string, selfClosing: boolean): void {
    if (this.#drop) {
      if (name === this.#drop.tag && !selfClosing && !VOID.has(name)) this.#drop.depth++;
      if (RAW_TEXT.has(name) && !selfClosing) this.#rawEnd = `</${name}`;
      return;
    }
    if (DROP_TAGS.has(name) || (!VOID.has(name) && attrs !== '' && isBoilerplateCached(attrs))) {
      if (selfClosing || VOID.has(name)) return;
      this.#drop = { tag: name, depth: 1 };
      if (RAW_TEXT.has(name)) this.#rawEnd = `</${name}`;
      return;
    }
    if (RAW_TEXT.has(name) && !selfClosing) {
      this.#rawEnd = `</${name}`;
      return;
    }
    const level = headingLevel(name);
    if (level > 0) {
      this.#flush();
      this.#closeHeading();
      this.#heading = { level, text: '', offset: -1 };
      return;
    }
    if (this.#table > 0 && name !== 'table') {
      if (this.#table === 1 && name === 'tr') this.#flushRow();
      else if (this.#table === 1 && (name === 'td' || name === 'th')) {
        this.#endCell();
        this.#cell = '';
      } else if (name === 'br' || BLOCK.has(name) || name === 'li') this.#append(' ');
      return;
    }
    switch (name) {
      case 'br':
        this.#append(LINE_BREAK);
        return;
      case 'pre':
        this.#flush();
        this.#pre++;
        return;
      case 'table':
        this.#flush();
        this.#table++;
        return;
      case 'ul':
      case 'ol':
        this.#flush();
        this.#lists.push({ ordered: name === 'ol', n: 0 });
        return;
      case 'li': {
        this.#flush();
        const list = this.#lists[this.#lists.length - 1];
        const indent = '  '.repeat(Math.max(0, this.#lists.length - 1));
        if (list) list.n++;
        this.#tight = true;
        this.#text = indent + (list?.ordered ? `${list.n}. ` : '- ');
        return;
      }
      case 'dt':
      case 'dd':
        this.#flush();
        this.#tight = true;
        return;
    }
    // A paragraph opening inside a list item continues the item's "- " line.
    if (BLOCK.has(name)) this.#flush(true);
  }

  #close(name: string): void {
    if (this.#drop) {
      if (name === this.#drop.tag && --this.#drop.depth === 0) this.#drop = null;
      return;
    }
    if (headingLevel(name) > 0) {
      this.#closeHeading();
      return;
    }
    if (name === 'table') {
      if (this.#table === 1) this.#flushRow();
      this.#table = Math.max(0, this.#table - 1);
      return;
    }
    if (this.#table > 0) {
      if (this.#table === 1 && name === 'tr') this.#flushRow();
      else if (this.#table === 1 && (name === 'td' || name === 'th')) this.#endCell();
      else if (BLOCK.has(name)) this.#append(' ');
      return;
    }
    if (name === 'pre') {
      this.#flush();
      this.#pre = Math.max(0, this.#pre - 1);
      return;
    }
    if (name === 'ul' || name === 'ol') {
      this.#flush();
      this.#lists.pop();
      return;
    }
    if (name === 'li' || name === 'dt' || name === 'dd' || BLOCK.has(name)) this.#flush();
  }

  #onText(raw: string, offset: number): void {
    if (this.#drop || raw.length === 0) return;
    const text = decodeEntities(raw);
    if (this.#heading) {
      if (this.#heading.offset < 0) this.#heading.offset = offset;
      this.#heading.text += text;
    } else if (this.#table > 0) {
      if (this.#cell === null) this.#cell = '';
      this.#cell += text;
      if (this.#textOffset < 0 && text.trim() !== '') this.#textOffset = offset;
    } else {
      if (this.#textOffset < 0 && text.trim() !== '') this.#textOffset = offset;
      this.#text += text;
    }
  }

  #append(s: string): void {
    if (this.#heading) this.#heading.text += s;
    else if (this.#table > 0) this.#cell = (this.#cell ?? '') + s;
    else this.#text += s;
  }

  #closeHeading(): void {
    const h = this.#heading;
    if (!h) return;
    this.#heading = null;
    this.#out.push({ kind: 'heading', level: h.level, text: collapseSpaces(h.text.replaceAll(LINE_BREAK, ' ')), offset: h.offset < 0 ? this.#base : h.offset });
  }

  #endCell(): void {
    if (this.#cell === null) return;
    const cell = collapseSpaces(this.#cell.replaceAll(LINE_BREAK, ' '));
    if (cell !== '') this.#cells.push(cell);
    this.#cell = null;
  }

  #flushRow(): void {
    this.#endCell();
    if (this.#cells.length > 0) {
      this.#out.push({ kind: 'text', text: this.#cells.join(' | '), offset: this.#textOffset < 0 ? this.#base : this.#textOffset, tight: true });
    }
    this.#cells = [];
    this.#textOffset = -1;
  }

  #flush(keepBareMarker = false): void {
    const raw = this.#text;
    const bareMarker = /^\s*(?:-|\d+\.)\s*$/.test(raw);
    if (bareMarker && keepBareMarker) return;
    const offset = this.#textOffset;
    const tight = this.#tight;
    this.#text = '';
    this.#textOffset = -1;
    this.#tight = false;
    const text =
      this.#pre > 0
        ? tidyLines(raw.replaceAll(LINE_BREAK, '\n'))
        : raw.includes(LINE_BREAK)
          ? raw
              .split(LINE_BREAK)
              .map(collapseSpaces)
              .filter((l) => l !== '')
              .join('\n')
          : collapseSpaces(raw);
    if (text === '' || bareMarker) return;
    this.#out.push({ kind: 'text', text, offset: offset < 0 ? this.#base : offset, tight });
  }
}
