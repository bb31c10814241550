/**
 * An HTML file read as a page: held whole up to `MAX_PAGE_CHARS`, so the main text can be told
 * from the boilerplate around it by what each part of the page holds (html-main.ts); a file
 * larger than that is no web page people read, and streams through the block reader with the
 * boilerplate its markup names dropped as it comes, in bounded memory. Holding the page whole
 * also makes the blocks independent of where the pieces were cut.
 */
import { HtmlBlockReader } from './html.ts';
import type { Block } from './segment.ts';

/** Pages up to this many characters (4 Mi, a few MB of bytes) are held whole. */
export const MAX_PAGE_CHARS = 4 * 1024 * 1024;

export class HtmlPageReader {
  #pieces: string[] = [];
  #chars = 0;
  #stream: HtmlBlockReader | null = null;
  readonly #limit: number;

  constructor(limit = MAX_PAGE_CHARS) {
    this.#limit = limit;
  }

  push(piece: string): Block[] {
    if (this.#stream !== null) return this.#stream.push(piece);
    this.#pieces.push(piece);
    this.#chars += piece.length;
    if (this.#chars <= this.#limit) return [];
    // Too big to be a page: read what was held, and the rest as it comes.
    this.#stream = new HtmlBlockReader();
    const held = this.#pieces;
    this.#pieces = [];
    return held.flatMap((p) => (this.#stream as HtmlBlockReader).push(p));
  }

  end(): Block[] {
    if (this.#stream !== null) return this.#stream.end();
    const reader = new HtmlBlockReader(true);
    const page = this.#pieces.join('');
    this.#pieces = [];
    reader.push(page);
    return reader.end();
  }
}
