/**
 * The two header filters of the paper ("headers that are empty, all-capitals or navigation-like
 * dropped"), made to mean what they say:
 *
 * - A navigation-like header is judged on the segment's own (innermost) header, and only a short
 *   one: "Related posts", "Kommentare", "Contenido relacionado", "Share this" are furniture;
 *   "Chocolate Chip Cookies", "HTTP cookies and sessions", "The history of advertising" and
 *   "Read more about Python" are topics, and so is "Privacy policy" or "Terms of use" on a page
 *   about them (in a page's footer they are gone before this: html-main.ts). Generic words count only as the whole header; a few
 *   phrases that are never a topic count anywhere in a short header. The lists cover the
 *   languages of the web corpus (English, German, French, Spanish, Italian, Portuguese, Dutch).
 * - A header with no text (an image, an icon, an empty anchor) says nothing either way, so it
 *   drops nothing below it; a header in capitals only (at least four letters) is still a shout.
 */

/** Whole-header matches: words that are furniture only when they are the entire header. */
const BOILERPLATE_EXACT = new Set(
  [
    // English
    'contents', 'menu', 'main menu', 'navigation', 'search', 'tags', 'categories', 'archive', 'archives', 'comment', 'comments',
    'share', 'related', 'footer', 'sidebar', 'login', 'log in', 'sign in', 'sign up', 'register', 'subscribe', 'newsletter', 'links',
    'follow us', 'recent posts', 'popular posts', 'breadcrumb', 'breadcrumbs', 'advertisement', 'advertisements', 'sponsored', 'cookies',
    'read more', 'more stories', 'more news', 'trending', 'most read', 'most popular', 'recommended', 'latest news', 'popular',
    'related articles', 'related posts', 'related stories', 'read next', 'read also', 'see also', 'more from', 'view comments',
    'be sociable share', 'share this article', 'share on', 'comments are closed', 'print this page',
    // German
    'inhalt', 'inhaltsverzeichnis', 'menü', 'hauptmenü', 'suche', 'kommentare', 'kommentar', 'teilen', 'anzeige', 'werbung',
    'mehr zum thema', 'weitere artikel', 'ähnliche artikel', 'verwandte artikel', 'das könnte sie auch interessieren', 'meistgelesen',
    'lesen sie auch', 'weiterlesen', 'weitere nachrichten', 'weitere artikel zum thema', 'kommentierte artikel', 'mehr dazu', 'auch lesenswert',
    'das könnte dich auch interessieren', 'war der artikel nützlich', 'möchten sie den artikel teilen', 'artikel teilen', 'seite teilen',
    'beitragsbild', 'vorschau auf den nächsten artikel', 'verwandte themen', 'verwandte themenbereiche', 'weiterführende links',
    'schlagworte', 'schlagwörter', 'folgen sie uns', 'auch interessant', 'newsletter abonnieren',
    // French
    'sommaire', 'commentaires', 'partager', 'publicité', 'recherche', 'articles similaires', 'à lire aussi', 'lire aussi', 'sur le même sujet',
    'les plus lus', 'suivez nous', 'mots clés', 'vous aimerez aussi', 'à lire également', 'lire la suite',
    // Spanish, Portuguese, Italian, Dutch
    'comentarios', 'compartir', 'publicidad', 'menú', 'buscar', 'contenido relacionado', 'artículos relacionados', 'noticias relacionadas',
    'te puede interesar', 'lo más leído', 'etiquetas', 'valora esta noticia', 'lee también', 'más noticias', 'mira también', 'comentários', 'compartilhe', 'publicidade', 'artigos relacionados', 'leia também',
    'commenti', 'condividi', 'pubblicità', 'articoli correlati', 'reacties', 'delen', 'gerelateerde artikelen', 'lees ook',
  ],
);

/** Phrases that are never a topic, looked for anywhere in a short header. */
const BOILERPLATE_PHRASE = new RegExp(
  '(?:^|\\s)(?:' +
    [
      'quick links', 'useful links', 'related (?:posts|articles|links|stories|content)', 'table of contents', 'cookie (?:settings|notice|preferences|consent)',
      'we use cookies', 'all rights reserved', 'skip to (?:content|main)',
      'you may also like', 'you might also like', 'leave a (?:reply|comment)', 'share this', 'back to top', 'also on',
      'das könnte sie auch', 'das könnte dich', 'kommentar schreiben', 'diesen artikel teilen', 'laisser un commentaire', 'vous aimerez aussi',
      'lesen sie auch', 'mehr zum thema', 'weitere informationen zum', 'alle artikel zu',
      'deja un comentario', 'también te puede', 'lascia un commento', 'potrebbe interessarti',
    ].join('|') +
    ')(?:\\s|$)',
);

/** A counted comments heading: "12 comments", "One thought on …", "3 Kommentare zu …", "Comments (4)". */
const COMMENTS_COUNTED =
  /^(?:(?:\d+|one|no|ein|eine|un|une|uno|una)\s+(?:thoughts? on|responses? to|comments?|replies|kommentare?|antworten|commentaires?|comentarios?|respuestas)\b|(?:comments?|kommentare|commentaires|comentarios)\s+\d+$)/;

/** Headers longer than this many words are titles, whatever words they hold. */
const SHORT_HEADER_WORDS = 6;

/** True when a header reads like site furniture rather than content. */
export function isBoilerplateHeader(header: string): boolean {
  const words = header.toLowerCase().replace(/[^\p{L}\p{N} ]+/gu, ' ').replace(/\s+/g, ' ').trim();
  if (COMMENTS_COUNTED.test(words)) return true;
  const h = words.replace(/^[\d\s]+/, '');
  if (h === '' || h.split(' ').length > SHORT_HEADER_WORDS) return false;
  return BOILERPLATE_EXACT.has(h) || BOILERPLATE_PHRASE.test(h);
}

/** Written in capitals only (at least four letters, none lower case), or with characters but no letter ("1.2.3", "***"); an empty header is neither. */
export function isBadHeader(header: string): boolean {
  if (header.trim() === '') return false;
  const letters = header.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return true;
  return letters.length >= 4 && !/\p{Ll}/u.test(header) && letters.some((c) => /\p{Lu}/u.test(c));
}
