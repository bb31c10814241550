/**
 * The line-level half of main-text selection (html-main.ts decides by elements first): of the
 * blocks left, which are furniture by what they say or where they stand.
 *
 * - A picture's caption or credit ("Abbildung 4: …", "Foto: dpa", "… Bild via", "Photo by … on
 *   Unsplash", "© pixelio.de"), a call to subscribe, sign up or donate, a disclaimer or
 *   advertising label ("Alle Angaben ohne Gewähr", "ANZEIGE – …"), a line that files the page
 *   under labels ("Tags: …", "Kategorie: News", "Abgelegt unter …") and a line that is a
 *   date and little else ("11 Jan 2019", "Video verfügbar bis 28.02.2021", "asked 8 years,
 *   2 months ago") go wherever they stand — short ones only: a paragraph that mentions a
 *   newsletter or a photo is text.
 * - Once the body text has begun, a heading that names furniture ("Lesen Sie auch", "Related
 *   posts") goes with its section — the blocks after it inside the element around it, never
 *   past that element's end, so a sidebar's "Meistgelesen" printed before the article takes
 *   nothing of the article with it — and a short line that names furniture goes alone.
 * - A text block that repeats an earlier one (a teaser, a caption) goes.
 * - Short lines before the first paragraph of body text and after the last (bylines,
 *   "Comments are closed.") go, unless they share that paragraph's container.
 */
import type { Block } from './segment.ts';
import { containerOf, isInside, type BlockMarks, type PageTree } from './html-page.ts';
import { isBoilerplateHeader } from './header-filters.ts';

/** A text block with this many characters outside links is a paragraph of body text. */
export const BODY_TEXT_CHARS = 80;
/** A line at most this long can be furniture by its words alone. */
const MAX_FURNITURE_LINE = 80;
/** Longest caption or credit line. */
const MAX_CAPTION = 120;
/** Longest call to action ("To view the full story, please subscribe to …"). */
const MAX_CALL_TO_ACTION = 200;
/** Longest disclaimer line. */
const MAX_DISCLAIMER = 250;
/** Longest line of labels ("Tags: a, b, c"). */
const MAX_LABELS = 160;
/** Longest date line, and the most letters it may hold besides the date ("Veröffentlicht am"). */
const MAX_DATE_LINE = 60;
const MAX_DATE_WORDS = 20;
/** A list of at least this many items (or rows) after the body text has begun is body text too: a last section that is a list. */
const MIN_LIST_ITEMS = 3;
/** Text blocks at least this long are compared with earlier ones for repeats. */
const MIN_REPEAT = 20;

/** A line that credits a picture at its start ("Foto: dpa", "Bild via Pixabay", "Quelle: …"). */
const CREDIT = /^\(?(?:foto|fotos|photo|photos|bild|bilder|image|images|quelle|source|credit|credits|imagen|crédit|crédits|fuente)\b\s*(?:via\b|:|\/|©)/i;
/** A caption or credit anywhere in a short line: "Abbildung 4: …", "…, photo: Archives", "Photo by …", "©". */
const CAPTION = new RegExp(
  [
    '(?:^|[\\s(,;|–-])(?:foto|fotos|photo|photos|bild|bilder|image|images|imagen|grafik|screenshot)\\s*(?:via\\b|by\\b|:|\\/|©)',
    '(?:^|[\\s(,;|–-])(?:quelle|source|credit|credits|crédit|crédits|fuente)\\s*(?::|©)',
    '^\\W*(?:abbildung|abb\\.|figure|fig\\.)\\s*\\d+\\s*[:.]',
    '©',
  ].join('|'),
  'i',
);
/** A call to subscribe, sign up or donate, in the languages of the web corpus. */
const CALL_TO_ACTION =
  /(?:^|[^\p{L}])(?:subscribe|subscribers?|subscription|suscr[ií]\p{L}*|newsletter\p{L}*|abonnier\p{L}*|abonnement\p{L}*|abonnez|abonnenten|sign(?:ing)? up|inscrivez|spende\p{L}*|donate|donation|herunterladen)(?!\p{L})/iu;
/** A disclaimer, a rights notice or an advertising label: "… is not responsible for the opinions …", "Alle Angaben ohne Gewähr", "ANZEIGE – …". */
const DISCLAIMER =
  /not responsible for|no responsibility for|(?:opinions?|views?) expressed|meinung (?:des|der) autor|n'engagent que|ohne gewähr|keine gewähr|affiliate[- ]links?|we may (?:receive|earn) (?:a )?(?:compensation|commission)|contains references to products|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|^\W*(?:anzeige|advertisement|werbung|publicidad|publicité)\b/iu;
/** A line that files the page under labels: "Tags: …", "Kategorie: News", "Abgelegt unter Aktuelles", "Themen:". */
const LABELS =
  /^\W*(?:(?:kategorien?|category|categories|tags?|schlagw(?:orte|örter)|stichw(?:orte|örter)|keywords?|themen?|topics?|mehr themen|weitere themen|verwandte (?:themen|themenbereiche|links)|étiquettes?|catégories?|mots[- ]clés|etiquetas?|categor[ií]as?)\s*(?::|$)|(?:filed under|posted in|abgelegt unter|veröffentlicht in|publié dans|publicado en)\b)/iu;
const MONTH = '(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|janv|févr|mars|avr|juin|juil|août|sept|déc|ene|abr|ago|dic|gen|mag|giu|lug|set|ott)\\p{L}*\\.?';
/** Dates and times as pages print them: 19.10.19, 2020-02-19, 6. Mai 2014, Feb 6, 2014, 20:37, 2 months ago. */
const DATE = new RegExp(
  `\\d{1,4}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}\\.?\\s+${MONTH}\\s+\\d{4}|${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}:\\d{2}(?::\\d{2})?|\\b\\d+\\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\\s+ago\\b`,
  'giu',
);

/** Whether a line is a date and at most a few words besides. */
export function isDateLine(text: string): boolean {
  const rest = text.replace(DATE, '');
  return rest.length !== text.length && rest.replace(/[^\p{L}]+/gu, '').length <= MAX_DATE_WORDS;
}

/** Whether a block is furniture by its words alone, wherever it stands. */
export function isFurnitureLine(b: Block): boolean {
  const n = b.text.length;
  if (n <= MAX_LABELS && LABELS.test(b.text)) return true;
  // A heading is a topic even when its words are these: "Why newsletters fail", "Photo: a history".
  if (b.kind !== 'text') return false;
  if (n <= MAX_CALL_TO_ACTION && CALL_TO_ACTION.test(b.text)) return true;
  if (n <= MAX_DISCLAIMER && DISCLAIMER.test(b.text)) return true;
  // A table row or list item of dates is data (a table of date formats, a timeline).
  return (n <= MAX_CAPTION && CAPTION.test(b.text)) || (n <= MAX_DATE_LINE && b.tight !== true && isDateLine(b.text));
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/** A list item or table row. */
export const isTight = (b: Block): boolean => b.kind === 'text' && b.tight === true;

/** Whether a block is body text: a paragraph of some length that is not mostly links (shorter in scripts with no spaces). */
export function isBodyText(b: Block, links: number): boolean {
  if (b.kind !== 'text') return false;
  const own = b.text.length - links;
  return own >= BODY_TEXT_CHARS || (own >= BODY_TEXT_CHARS / 3 && CJK.test(b.text));
}

/** The blocks of `kept` (indices into `blocks`) that are not furniture by their words or their section, and not repeats. */
export function withoutFurnitureLines(tree: PageTree, blocks: readonly Block[], marks: BlockMarks, kept: readonly number[]): number[] {
  /** The last block inside each element: asked only on a page with a furniture heading. */
  let last: Int32Array | null = null;
  const out: number[] = [];
  let skipBelow = 0;
  /** The last block of the furniture heading's section. */
  let skipTo = -1;
  // Only once the text has begun: a page's own title is its topic ("Privacy policy", "Impressum").
  let begun = false;
  for (const i of kept) {
    const b = blocks[i] as Block;
    if (isFurnitureLine(b)) continue;
    if (!begun) {
      begun = b.kind === 'text' && b.text.length >= BODY_TEXT_CHARS;
      out.push(i);
      continue;
    }
    if (skipBelow > 0 && i > skipTo) skipBelow = 0;
    if (b.kind === 'heading') {
      if (skipBelow > 0 && b.level > skipBelow) continue;
      skipBelow = 0;
      if (b.level > 1 && isBoilerplateHeader(b.text)) {
        skipBelow = b.level;
        last ??= lastBlocks(tree, marks);
        skipTo = sectionEnd(tree, marks, last, i);
        continue;
      }
    } else if (skipBelow > 0) continue;
    else if (b.text.length <= MAX_FURNITURE_LINE && (isBoilerplateHeader(b.text) || CREDIT.test(b.text))) continue;
    out.push(i);
  }
  return withoutRepeats(blocks, out);
}

/** The index of the last block inside each element (-1 for none). */
function lastBlocks(tree: PageTree, marks: BlockMarks): Int32Array {
  const last = new Int32Array(tree.count).fill(-1);
  for (let i = 0; i < marks.el.length; i++) last[marks.el[i] as number] = i;
  for (let el = tree.count - 1; el > 0; el--) {
    const p = tree.parent[el] as number;
    if ((last[el] as number) > (last[p] as number)) last[p] = last[el] as number;
  }
  return last;
}

/** Where the section of heading block `i` ends: the last block of the nearest container around it that holds more than the heading. */
function sectionEnd(tree: PageTree, marks: BlockMarks, last: Int32Array, i: number): number {
  let c = containerOf(tree, marks.el[i] as number);
  while (c > 0 && (last[c] as number) <= i) c = containerOf(tree, c);
  return last[c] as number;
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

/**
 * Short lines before the first paragraph of body text (dates, bylines, "Category: News") and
 * after the last ("Comments are closed.", "2 months ago") are the page's furniture around the
 * text — unless they sit in the same container as that paragraph (a sign-off, a last line of a
 * recipe); short lines between paragraphs (list items, ingredients) are part of the text. Once
 * the text has begun, a list of three or more items counts as body text (a last section of
 * reminders, a recipe's steps).
 * Headings before the first paragraph stay: they are its title. A page with no paragraph of body
 * text at all (lyrics, a product page) keeps all it has.
 */
export function trimEdges(tree: PageTree, blocks: readonly Block[], marks: BlockMarks, kept: readonly number[]): Block[] {
  // The length of the run of list items or rows each kept block belongs to (0 for other blocks).
  const run = new Int32Array(kept.length);
  for (let k = 0; k < kept.length; ) {
    let end = k;
    while (end < kept.length && isTight(blocks[kept[end] as number] as Block)) end++;
    run.fill(end - k, k, end);
    k = Math.max(end, k + 1);
  }
  let first = -1;
  /** The last paragraph of body text, and the last block that counts as body text (a paragraph, or a list once the text has begun). */
  let lastParagraph = -1;
  let last = -1;
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const b = blocks[i] as Block;
    if (isBodyText(b, marks.links[i] as number)) {
      if (first < 0) first = k;
      lastParagraph = k;
      last = k;
    } else if (first >= 0 && b.kind === 'text' && (run[k] as number) >= MIN_LIST_ITEMS) last = k;
  }
  if (first < 0) return kept.map((i) => blocks[i] as Block);
  const head = containerOf(tree, marks.el[kept[first] as number] as number);
  const tail = containerOf(tree, marks.el[kept[lastParagraph] as number] as number);
  const out: Block[] = [];
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const b = blocks[i] as Block;
    const el = marks.el[i] as number;
    if (k < first ? b.kind === 'heading' || isInside(tree, el, head) : k <= last || isInside(tree, el, tail)) out.push(b);
  }
  return out;
}
