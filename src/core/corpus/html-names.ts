/**
 * The tag names the HTML block reader knows, each with its id in one `TagNames` table, and what
 * each name is to the reader (dropped, raw text, void, a block) and, in page mode, what the tag
 * says of an element (KIND_* bits of html-vocab.ts). Tables by id, so a tag costs no string.
 */
import { TagNames } from './html-tags.ts';
import { KIND_NEVER_TEXT, KIND_CONTAINER, KIND_FORM, KIND_FURNITURE, KIND_HEADER, KIND_HIDDEN, KIND_MAIN, KIND_POSITIVE } from './html-vocab.ts';

/** Elements whose whole content is skipped. */
export const DROP_TAGS = [
  'head', 'script', 'style', 'noscript', 'template', 'svg', 'math', 'nav', 'header', 'footer', 'aside',
  'form', 'button', 'select', 'textarea', 'iframe', 'object', 'canvas', 'video', 'audio', 'map', 'rt', 'rp',
];
/** Elements whose content is raw text the tokenizer must not read as tags. */
const RAW_TEXT = ['script', 'style', 'textarea', 'xmp', 'title', 'noscript'];
const VOID = ['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'];
const BLOCK = [
  'p', 'div', 'section', 'article', 'main', 'blockquote', 'ul', 'ol', 'dl', 'figure', 'figcaption', 'address',
  'center', 'hr', 'fieldset', 'details', 'summary', 'body', 'html', 'caption', 'legend', 'table', 'hgroup',
];
/** Names the reader switches on, with their ids (1 + their index here); any other name has id 0. */
const SPECIAL = ['br', 'pre', 'table', 'tr', 'td', 'th', 'ul', 'ol', 'li', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
export const BR = 1, PRE = 2, TABLE = 3, TR = 4, TD = 5, TH = 6, UL = 7, OL = 8, LI = 9, DT = 10, DD = 11, H1 = 12, H6 = 17;
/** Names only page mode asks about. */
const PAGE_ONLY = ['a', 'menu', 'figcaption', 'option', 'datalist'];
export const TAGS = new TagNames([...new Set([...SPECIAL, ...DROP_TAGS, ...RAW_TEXT, ...VOID, ...BLOCK, ...PAGE_ONLY])]);
const idOf = (name: string) => TAGS.names.indexOf(name);
export const A = idOf('a'), BODY = idOf('body'), HEAD = idOf('head'), HTML = idOf('html');
/** What each tag says of itself in page mode (KIND_* bits). */
const CONTAINERS = ['div', 'section', 'article', 'main', 'body', 'html', 'td', 'th', 'center', 'form', 'header', 'footer', 'aside', 'nav', 'blockquote', 'details', 'figure', 'fieldset', 'table'];
/** Elements whose text is no text of the page: muted in page mode (a ruby reading doubles the words it annotates). */
const NEVER_TEXT = ['select', 'button', 'textarea', 'svg', 'math', 'template', 'option', 'datalist', 'rt', 'rp'];
export const TAG_KIND = Uint16Array.from(TAGS.names, (n) =>
  (n === 'nav' || n === 'aside' || n === 'footer' || n === 'menu' ? KIND_FURNITURE
  : n === 'header' ? KIND_HEADER
  : n === 'form' ? KIND_FORM
  : n === 'main' || n === 'article' ? KIND_MAIN | KIND_POSITIVE
  : DROP_TAGS.includes(n) || n === 'figure' || n === 'figcaption' ? KIND_HIDDEN
  : 0) | (CONTAINERS.includes(n) ? KIND_CONTAINER : 0) | (NEVER_TEXT.includes(n) ? KIND_NEVER_TEXT : 0),
);
export const DROP = 1, RAW = 2, VOIDED = 4, BLOCKISH = 8;
/** What each id is: DROP | RAW | VOIDED | BLOCKISH. */
export const FLAGS = Uint8Array.from(TAGS.names, (n) =>
  (DROP_TAGS.includes(n) ? DROP : 0) | (RAW_TEXT.includes(n) ? RAW : 0) | (VOID.includes(n) ? VOIDED : 0) | (BLOCK.includes(n) ? BLOCKISH : 0),
);
