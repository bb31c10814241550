/**
 * The element tree of a page held whole, kept as flat typed arrays: each element's parent, what
 * its markup says (html-vocab.ts) and, after reading, how much text and link text it holds. The
 * block reader builds it while it reads (in page mode) and tags every block with the element its
 * text started in; html-main.ts then decides which elements are boilerplate, knowing what each
 * holds — which a reader that drops an element when it opens cannot know.
 *
 * Web pages are malformed as a rule, so the tree follows the browser's forgiving rules where
 * they matter for where text belongs: an end tag closes the nearest open element of its name and
 * everything opened inside it (so an unclosed `<nav>` ends with the `<div>` around it); an end
 * tag with no open element of its name is ignored; `<body>` ends an unclosed `<head>`; an `<a>`
 * ends an open `<a>`. Text inside an element that is never text (a select's options, a ruby
 * reading) is muted while it is open. Elements still open at the end of the page end there.
 */
import { KIND_CONTAINER, KIND_NEVER_TEXT } from './html-vocab.ts';

/** Element 0 is the document itself. */
export const DOCUMENT = 0;

export class PageTree {
  /** Parent of each element (-1 for the document). */
  parent = new Int32Array(1024);
  /** KIND_* bits of each element. */
  kind = new Uint16Array(1024);
  /** Tag id of each element (0: a name the reader has no id for). */
  tag = new Uint16Array(1024);
  count = 1;
  /** Open elements, innermost last. */
  readonly #stack: number[] = [DOCUMENT];
  /** Names of open elements with no tag id (custom elements), by element. */
  readonly #names = new Map<number, string>();
  /** How many `<a>` are open. */
  links = 0;
  /** How many elements whose text is never text (KIND_NEVER_TEXT: select, option, rt…) are open. */
  muted = 0;
  readonly #aId: number;

  constructor(aId: number) {
    this.parent[0] = -1;
    this.#aId = aId;
  }

  /** The innermost open element. */
  get top(): number {
    return this.#stack[this.#stack.length - 1] as number;
  }

  /** Opens an element (`name` only for a tag with no id); returns its number. */
  open(tag: number, name: string, kind: number, closes = -1): number {
    if (tag === this.#aId && this.links > 0) this.close(tag, '');
    if (closes !== -1 && this.#openIndex(closes, '') !== -1) this.close(closes, '');
    const el = this.count++;
    if (el >= this.parent.length) this.#grow();
    this.parent[el] = this.top;
    this.kind[el] = kind;
    this.tag[el] = tag;
    if (tag === 0) this.#names.set(el, name);
    if (tag === this.#aId) this.links++;
    if ((kind & KIND_NEVER_TEXT) !== 0) this.muted++;
    this.#stack.push(el);
    return el;
  }

  /** Closes the innermost open element of this tag (and all opened inside it); does nothing when none is open. */
  close(tag: number, name: string): void {
    const at = this.#openIndex(tag, name);
    if (at === -1) return;
    while (this.#stack.length > at) {
      const el = this.#stack.pop() as number;
      if (this.tag[el] === this.#aId) this.links--;
      if (((this.kind[el] as number) & KIND_NEVER_TEXT) !== 0) this.muted--;
      if (this.tag[el] === 0) this.#names.delete(el);
    }
  }

  #ends: Int32Array | null = null;

  /**
   * The last element of each element's subtree. Elements are numbered as they open and a
   * subtree opens while its root is open, so an element's descendants are exactly the numbers
   * after it up to this one: "is x inside y" is two comparisons, however deep the page nests.
   * Computed once the tree is complete (asked after reading).
   */
  subtreeEnds(): Int32Array {
    if (this.#ends !== null && this.#ends.length === this.count) return this.#ends;
    const ends = new Int32Array(this.count);
    for (let el = 0; el < this.count; el++) ends[el] = el;
    for (let el = this.count - 1; el > 0; el--) {
      const p = this.parent[el] as number;
      if ((ends[el] as number) > (ends[p] as number)) ends[p] = ends[el] as number;
    }
    this.#ends = ends;
    return ends;
  }

  /** Whether an element of this tag is open. */
  isOpen(tag: number): boolean {
    return this.#openIndex(tag, '') !== -1;
  }

  #openIndex(tag: number, name: string): number {
    const stack = this.#stack;
    for (let i = stack.length - 1; i > 0; i--) {
      const el = stack[i] as number;
      if (this.tag[el] === tag && (tag !== 0 || this.#names.get(el) === name)) return i;
    }
    return -1;
  }

  #grow(): void {
    const n = this.parent.length * 2;
    const parent = new Int32Array(n);
    parent.set(this.parent);
    const kind = new Uint16Array(n);
    kind.set(this.kind);
    const tag = new Uint16Array(n);
    tag.set(this.tag);
    this.parent = parent;
    this.kind = kind;
    this.tag = tag;
  }
}

/** What the reader knows of each block it emitted in page mode: where its text started, and how much of it was link text. */
export interface BlockMarks {
  el: number[];
  /** Characters of the block's text inside links. */
  links: number[];
}

/** The nearest block container (KIND_CONTAINER) around an element; the document when there is none. */
export function containerOf(tree: PageTree, el: number): number {
  let e = tree.parent[el] as number;
  while (e > 0 && ((tree.kind[e] as number) & KIND_CONTAINER) === 0) e = tree.parent[e] as number;
  return Math.max(e, 0);
}

/** Adds each element's values into its ancestors', in place: per element, what it and its descendants hold. */
export function sumSubtrees(tree: PageTree, ...values: Float64Array[] | Int32Array[]): void {
  for (let el = tree.count - 1; el > 0; el--) {
    const p = tree.parent[el] as number;
    for (const v of values) v[p] = (v[p] as number) + (v[el] as number);
  }
}

/** Whether `el` is `container` or inside it. */
export function isInside(tree: PageTree, el: number, container: number): boolean {
  return el >= container && el <= (tree.subtreeEnds()[container] as number);
}
