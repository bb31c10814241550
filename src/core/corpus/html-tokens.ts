/**
 * The tokenizer under the HTML block reader: it takes the document in pieces, finds text, tags,
 * comments, CDATA and raw text (script, style), and hands each to its subclass by offsets into
 * its buffer. Pieces are cut anywhere, so a tag, comment, entity or raw-text end split across
 * two pieces waits (boundedly) for the next; nothing needs to be closed, since web pages are
 * malformed as a rule.
 */
import { decodeEntities, isSpaceCode } from './normalise.ts';
import { type TagNames, TagReader, findRawEnd } from './html-tags.ts';

/**
 * The longest tag read as a tag (inline images and JSON in attributes make tags of tens of KB):
 * a "<" whose tag does not close within this many characters is text. The answer depends only
 * on the characters, never on where the pieces were cut: the tokenizer waits for this many
 * characters (or the end) before deciding.
 */
const MAX_TAG = 64 * 1024;
// A module-local copy: tsx loads modules as CommonJS, where every use of an import calls getters.
const isSpace = isSpaceCode;

export abstract class HtmlTokenizer {
  #buf = '';
  /** Absolute offset of #buf[0] in the decoded document. */
  #base = 0;
  /** The next "&" in #buf at or after the last text run asked about (#buf.length when none). */
  #amp = -1;
  /** How long the buffer must be before markup left unfinished at its start is read again. */
  #wait = 0;
  /** Pieces that came while waiting, not yet joined to the buffer. */
  #waiting: string[] = [];
  #waitingChars = 0;
  /** While inside raw text: the "</name" that ends it. */
  #rawEnd: string | null = null;
  #rawId = 0;
  readonly #tag: TagReader;

  protected constructor(names: TagNames) {
    this.#tag = new TagReader(names);
  }

  /** Where the unread part of the document starts: the offset of blocks with no text of their own. */
  protected get base(): number {
    return this.#base;
  }

  /**
   * Text (entities decoded) `s[from, to)`. `offset` is where in the document the run's first
   * character that is not white space stands (an entity counts, even "&nbsp;"), or -1 when the
   * run is white space only: so a block's offset is the same wherever the pieces were cut.
   */
  protected abstract onText(s: string, from: number, to: number, offset: number): void;
  protected abstract onOpen(tag: TagReader, buf: string): void;
  protected abstract onClose(tag: TagReader, buf: string): void;
  /** The end of raw text begun by `readRawText(id)`. */
  protected abstract onRawTextEnd(id: number): void;

  /** Reads what follows the tag just opened (id `id` in the names) as raw text up to its closing tag. */
  protected readRawText(id: number): void {
    this.#rawId = id;
    this.#rawEnd = `</${this.#tag.table.names[id]}`;
  }

  /** Reads the next piece (`final`: the last, after which nothing waits for more). */
  protected feed(piece: string, final: boolean): void {
    if (!final && this.#wait > 0 && this.#buf.length + this.#waitingChars + piece.length < this.#wait) {
      // Still too short to read the unfinished markup again: keep the piece without copying the buffer.
      this.#waiting.push(piece);
      this.#waitingChars += piece.length;
      return;
    }
    // One flat copy: `+=` would make a two-part string and a piece cut from a larger string is a
    // view onto it, and the engine reads either character by character a good deal slower.
    const buf = this.#waiting.length === 0 ? [this.#buf, piece].join('') : [this.#buf, ...this.#waiting, piece].join('');
    this.#waiting = [];
    this.#waitingChars = 0;
    this.#amp = -1;
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
        this.#rawEnd = null;
        this.onRawTextEnd(this.#rawId);
        i = close === -1 ? buf.length : close + 1;
        continue;
      }
      const lt = buf.indexOf('<', i);
      if (lt === -1) {
        // Hold back a possibly unfinished entity ("&am") until the next piece.
        const amp = buf.lastIndexOf('&');
        const stop = !final && amp >= i && buf.length - amp < 40 && !buf.includes(';', amp) ? amp : buf.length;
        this.#text(buf, i, stop);
        i = stop;
        break;
      }
      if (lt > i) this.#text(buf, i, lt);
      // Markup left unfinished by the last piece is read again only once the buffer has grown
      // enough (doubled), so a long tag or comment fed in tiny pieces is not re-read per piece.
      if (lt === 0 && !final && buf.length < this.#wait) {
        i = 0;
        break;
      }
      const next = this.#markup(buf, lt, final);
      if (next === -1) {
        i = lt;
        this.#wait = Math.min(2 * (buf.length - lt) + 64, this.#rawEnd === null && this.#maxWait(buf, lt) ? MAX_TAG : Infinity);
        break;
      }
      this.#wait = 0;
      i = next;
    }
    this.#base += i;
    this.#buf = i === 0 ? buf : buf.slice(i);
  }

  /** Text as written, buf[from, to): entities decoded when it has any (and it is not CDATA, `literal`). */
  #text(buf: string, from: number, to: number, literal = false): void {
    if (from === to) return;
    if (literal) {
      let k = from;
      while (k < to && isSpace(buf.charCodeAt(k))) k++;
      this.onText(buf, from, to, k < to ? this.#base + k : -1);
      return;
    }
    if (this.#amp < from) {
      const amp = buf.indexOf('&', from);
      this.#amp = amp === -1 ? buf.length : amp;
    }
    let k = from;
    while (k < to && isSpace(buf.charCodeAt(k))) k++;
    const at = k < to ? this.#base + k : -1;
    if (this.#amp < to) {
      const text = decodeEntities(buf.slice(from, to));
      this.onText(text, 0, text.length, at);
    } else this.onText(buf, from, to, at);
  }

  /** Whether the markup at `lt` is a tag, decided by MAX_TAG characters at most (a comment or CDATA waits for its end). */
  #maxWait(buf: string, lt: number): boolean {
    return !buf.startsWith('<!', lt);
  }

  /** Handles markup at `lt`; returns the index after it, or -1 to wait for more input. */
  #markup(buf: string, lt: number, final: boolean): number {
    const after = buf.charCodeAt(lt + 1);
    const lower = after | 32; // lower-cases ASCII letters, and maps nothing else onto them
    // A letter or "/" after "<" (nearly every tag) cannot start a comment, CDATA or declaration.
    if (after === 47 || (lower >= 97 && lower <= 122)) return this.#readTag(buf, lt, final);
    if (buf.startsWith('<!--', lt)) {
      const end = buf.indexOf('-->', lt + 4);
      if (end === -1) return final ? buf.length : -1;
      return end + 3;
    }
    if (buf.startsWith('<![CDATA[', lt)) {
      const end = buf.indexOf(']]>', lt);
      if (end === -1 && !final) return -1;
      // CDATA is literal text: no entities to decode.
      const stop = end === -1 ? buf.length : end;
      if (stop > lt + 9) this.#text(buf, lt + 9, stop, true);
      return end === -1 ? buf.length : end + 3;
    }
    if (lt + 1 >= buf.length && !final) return -1;
    if (after === 33 || after === 63) {
      // "<!" or "<?": a declaration or processing instruction, up to the next ">".
      if (!final && '<!--'.startsWith(buf.slice(lt, lt + 4)) && buf.length - lt < 4) return -1;
      const end = buf.indexOf('>', lt);
      if (end === -1) return final ? buf.length : -1;
      return end + 1;
    }
    return this.#readTag(buf, lt, final);
  }

  #readTag(buf: string, lt: number, final: boolean): number {
    const tag = this.#tag;
    if (!tag.read(buf, lt, lt + MAX_TAG)) {
      // This may be a tag split across pieces: wait for MAX_TAG characters before calling it text.
      if (!final && buf.length - lt < MAX_TAG) return -1;
      this.#text(buf, lt, lt + 1);
      return lt + 1;
    }
    if (tag.closing) this.onClose(tag, buf);
    else this.onOpen(tag, buf);
    return tag.gt + 1;
  }
}
