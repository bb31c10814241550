/**
 * Plain text to blocks: paragraphs are runs of lines between blank lines. Hard-wrapped prose is
 * re-flowed (a .txt book wrapped at 70 columns reads as the same sentences as its HTML edition),
 * while short lines — code, lists, addresses — keep their breaks. Streams: pieces go in, finished
 * paragraphs come out, and only the unfinished paragraph is held.
 */
import type { Block } from './segment.ts';
import { unwrapParagraph } from './normalise.ts';

/** A paragraph longer than this is emitted in parts, so one file with no blank lines stays bounded. */
const MAX_PARAGRAPH = 64 * 1024;

export class ParagraphReader {
  #partial = '';
  #base = 0;
  #lines: string[] = [];
  #size = 0;
  #offset = 0;
  #out: Block[] = [];
  readonly #page: number | undefined;

  constructor(page?: number) {
    this.#page = page;
  }

  push(piece: string): Block[] {
    const text = this.#partial + piece;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.#line(text.slice(start, nl), this.#base + start);
      start = nl + 1;
    }
    this.#partial = text.slice(start);
    this.#base += start;
    if (this.#partial.length > MAX_PARAGRAPH) {
      this.#line(this.#partial, this.#base);
      this.#base += this.#partial.length;
      this.#partial = '';
    }
    return this.#take();
  }

  end(): Block[] {
    if (this.#partial !== '') this.#line(this.#partial, this.#base);
    this.#partial = '';
    this.#flush();
    return this.#take();
  }

  #take(): Block[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #line(raw: string, offset: number): void {
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '\f') {
      this.#flush();
      return;
    }
    if (this.#lines.length === 0) this.#offset = offset + (line.length - line.trimStart().length);
    this.#lines.push(line.includes('\f') ? line.replaceAll('\f', '') : line);
    this.#size += line.length + 1;
    if (this.#size > MAX_PARAGRAPH) this.#flush();
  }

  #flush(): void {
    if (this.#lines.length === 0) return;
    const text = unwrapParagraph(this.#lines.join('\n'));
    this.#lines = [];
    this.#size = 0;
    if (text.trim() === '') return;
    const block: Block = { kind: 'text', text, offset: this.#offset };
    if (this.#page !== undefined) block.page = this.#page;
    this.#out.push(block);
  }
}
