/**
 * What a page's own markup says about an element: its tag (main, article, nav, aside, footer,
 * header, form…), its role, and the words of its class and id — "sidebar", "comment-list",
 * "share-buttons", "entry-content", "artikel-text", "comentarios". Words are the parts of a
 * class or id split at anything not a letter or digit; each part is looked for as a whole word
 * and as the start of a compound ("sharedaddy", "relatedposts", "kommentarbereich"), in the
 * languages of the web pages people crawl. The verdict is a set of bits (`KIND_*`) kept per
 * element; html-main.ts weighs them against the text each element holds.
 */
import { AttrSpan, attrKind, nextAttr } from './html-attrs.ts';
import { remembered } from './normalise.ts';

/** The markup names boilerplate: class/id words, or a boilerplate role. */
export const KIND_NEGATIVE = 1;
/** The markup names main content: class/id words ("article-body"), `role=main`/`article`. */
export const KIND_POSITIVE = 2;
/** Navigation, sidebar or page footer by tag or role (nav, aside, footer, menu, role=navigation…). */
export const KIND_FURNITURE = 4;
/** A header by tag or role=banner: boilerplate at page level, content inside an article. */
export const KIND_HEADER = 8;
/** Never text (select, button, iframe, video, svg…), or `hidden`. */
export const KIND_HIDDEN = 16;
/** main, article, role=main: where the main text is, when a page says so. */
export const KIND_MAIN = 32;
/** A form: a search box or a comment form, or a wrapper around the whole page (ASP.NET). */
export const KIND_FORM = 64;
/** A block container (div, section, article, td…): what body text and the lines around it share. */
export const KIND_CONTAINER = 128;
/** Never text, however much of it there is (a select's options, a button, an inline SVG). */
export const KIND_NEVER_TEXT = 256;

/**
 * Class/id words that name boilerplate only when the element holds links: a "teaser" is an
 * article's lead paragraph (TYPO3's `teaser-text`) or a card linking to another article.
 */
export const KIND_WEAK_NEGATIVE = 512;
const WEAK_NEGATIVE = new Set(['teaser']);
/**
 * Class/id words that name boilerplate only outside the page's text area, and only when the
 * element holds links (html-main.ts): a page's "sidebar" is its side column, a DocBook
 * `<div class="sidebar">` inside the text is a boxed note (a tip, a definition) that belongs to it.
 */
export const KIND_ASIDE = 1024;
const ASIDE = new Set(['sidebar', 'sidebars']);

/** Class/id words (and word starts) that name boilerplate. */
const NEGATIVE_WORDS = [
  // English
  'nav', 'navbar', 'navigation', 'navheader', 'navfooter', 'docnav', 'menu', 'menubar', 'submenu', 'megamenu', 'dropdown', 'toc',
  'aside', 'widget', 'widgets', 'footer', 'masthead', 'topbar', 'toolbar', 'breadcrumb', 'breadcrumbs', 'crumbs',
  'comment', 'comments', 'commentlist', 'respond', 'reply', 'replies', 'disqus', 'discussion',
  'share', 'sharing', 'sharedaddy', 'sharebar', 'social', 'socials', 'follow', 'print', 'email', 'rss',
  'related', 'relatedposts', 'recommended', 'recommendations', 'recirculation', 'trending', 'popular', 'mostread', 'mostpopular',
  'cookie', 'cookies', 'consent', 'gdpr', 'newsletter', 'subscribe', 'subscription', 'signup', 'login', 'register', 'paywall',
  'ad', 'ads', 'advert', 'adverts', 'advertisement', 'advertising', 'adsbygoogle', 'sponsor', 'sponsored', 'promo', 'promotion', 'banner',
  'outbrain', 'taboola', 'popup', 'modal', 'overlay', 'lightbox', 'pagination', 'pager', 'paging', 'skip', 'tagcloud', 'tags', 'taglist',
  'categories', 'author', 'authorbox', 'bio', 'byline', 'copyright', 'disclaimer', 'legal', 'teasers', 'carousel', 'slider',
  // German, French, Spanish, Portuguese, Italian, Dutch, Polish, Czech, Swedish
  'kommentar', 'kommentare', 'werbung', 'anzeige', 'teilen', 'verwandt', 'aehnliche', 'empfehlung', 'fusszeile', 'seitenleiste', 'impressum',
  'commentaire', 'commentaires', 'partage', 'partager', 'pub', 'publicite', 'connexe', 'barre',
  'comentario', 'comentarios', 'compartir', 'relacionado', 'relacionados', 'relacionadas', 'publicidad', 'anuncio', 'anuncios', 'compartilhar',
  'commenti', 'condividi', 'correlati', 'pubblicita', 'reacties', 'delen', 'gerelateerd', 'komentarze', 'reklama', 'komentare', 'relaterade',
];
/** Word starts that name boilerplate whatever follows ("commentform", "socialmedia", "relatedarticles"). */
const NEGATIVE_STARTS = [
  'comment', 'share', 'social', 'sidebar', 'related', 'cookie', 'breadcrumb', 'newsletter', 'subscri', 'advert', 'sponsor', 'footer',
  'navbar', 'navigation', 'widget', 'popup', 'promo', 'pagination', 'recommend', 'kommentar', 'comentario', 'commentaire', 'relacionad',
  'werbung', 'menu',
];
/** Class/id words that name the main text. */
const POSITIVE_WORDS = [
  'article', 'articlebody', 'articletext', 'content', 'entry', 'main', 'post', 'story', 'storybody', 'body', 'text', 'blogpost',
  'single', 'artikel', 'inhalt', 'beitrag', 'contenido', 'contenu', 'articulo', 'noticia', 'testo', 'conteudo', 'tekst', 'texte',
];
/** Words after which the next word says what an element has or lacks, not what it is ("no-sidebar", "has-comments"). */
const QUALIFIERS = new Set(['no', 'has', 'with', 'without', 'show', 'hide', 'hidden', 'is', 'not']);

const NEGATIVE = new Set(NEGATIVE_WORDS);
const POSITIVE = new Set(POSITIVE_WORDS);
const NEGATIVE_ROLES = new Set(['navigation', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'dialog', 'alert']);

/** The verdict for one class/id word. */
function wordKind(word: string): number {
  if (NEGATIVE.has(word)) return KIND_NEGATIVE;
  if (POSITIVE.has(word)) return KIND_POSITIVE;
  if (WEAK_NEGATIVE.has(word)) return KIND_WEAK_NEGATIVE;
  if (ASIDE.has(word)) return KIND_ASIDE;
  if (word.length > 4) for (const start of NEGATIVE_STARTS) if (word.startsWith(start)) return KIND_NEGATIVE;
  return 0;
}

const WORD = /[a-z0-9]+/g;

/** The verdict for a class or id value: the bits of its words, a word after a qualifier left out. */
export function valueKind(value: string): number {
  let kind = 0;
  let qualified = false;
  const lower = value.toLowerCase();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lower); m !== null; m = WORD.exec(lower)) {
    const word = m[0];
    if (!qualified) kind |= wordKind(word);
    qualified = QUALIFIERS.has(word);
  }
  return kind;
}

/** Class and id values repeat a great deal within a page and across a site: their verdicts, remembered. */
const rememberedKind = remembered(valueKind, 8192);

const SPAN = new AttrSpan();

/** The verdict of a tag's class, id, role and `hidden` attributes, read from buf[from, to). */
export function attrsKind(buf: string, from: number, to: number): number {
  let kind = 0;
  const span = SPAN;
  for (let i = nextAttr(buf, from, to, span); i !== -1; i = nextAttr(buf, i, to, span)) {
    const which = attrKind(buf, span);
    if (which === 0) {
      if (span.nameEnd - span.nameStart === 6 && buf.slice(span.nameStart, span.nameEnd).toLowerCase() === 'hidden') kind |= KIND_HIDDEN;
      continue;
    }
    if (span.valueEnd === span.valueStart) continue;
    const value = buf.slice(span.valueStart, span.valueEnd);
    if (which !== 3) {
      kind |= rememberedKind(value);
      continue;
    }
    const role = value.trim().toLowerCase();
    if (role === 'main' || role === 'article') kind |= KIND_POSITIVE | (role === 'main' ? KIND_MAIN : 0);
    else if (role === 'banner') kind |= KIND_HEADER;
    else if (NEGATIVE_ROLES.has(role)) kind |= KIND_FURNITURE;
  }
  return kind;
}
