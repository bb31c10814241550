/**
 * A deterministic synthetic corpus for the ingest bench: web pages (HTML with navigation, cookie
 * banners, footers, tables and code), Markdown notes (front matter, lists, fenced code, pipe
 * tables) and hard-wrapped plain text, plus what real crawls are full of — exact copies of
 * earlier files and near-copies with a few words changed. Each file is a pure function of
 * (corpus seed, file number), so a copy is made by regenerating an earlier file, and nothing
 * is ever held beyond one file's current piece: 200 MB streams through in 64 KB pieces.
 */
import { seededRandom } from '../../../src/core/corpus/dedup.ts';

export type GeneratedFormat = 'html' | 'md' | 'txt';

export interface GeneratedFile {
  path: string;
  format: GeneratedFormat;
  /** Approximate size in characters. */
  size: number;
  /** What the file is: fresh text, an exact copy of an earlier file, or a near-copy. */
  kind: 'fresh' | 'copy' | 'near-copy';
  /** The file's text in pieces of `pieceChars` (cut anywhere, even mid-tag, as a decoder would). */
  pieces(pieceChars?: number): Generator<string>;
}

export const PIECE_CHARS = 64 * 1024;

const SYLLABLES = ['ka', 'to', 'ri', 'men', 'sa', 'lo', 'ver', 'in', 'da', 'po', 'ne', 'stra', 'qui', 'bel', 'cor', 'un', 'fi', 'gal', 'ther', 'mo', 'ex', 'pla', 'ti', 'on', 'ar', 'es', 'ul', 'ze', 'hu', 'ba'];
const FUNCTION_WORDS = ['the', 'of', 'and', 'to', 'a', 'in', 'is', 'that', 'for', 'it', 'with', 'as', 'on', 'be', 'by', 'this', 'are', 'or', 'from', 'at'];
const NON_ASCII = ['café', 'naïve', '—', 'über', 'façade', 'résumé', '€5'];

/** A vocabulary of pseudo-words with Zipf-like frequencies, shared by every file. */
function makeVocabulary(size: number): string[] {
  const rand = seededRandom(99);
  const words = [...FUNCTION_WORDS];
  const seen = new Set(words);
  while (words.length < size) {
    let w = '';
    const n = 1 + Math.floor(rand() * 3.2);
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

const VOCAB = makeVocabulary(6000);
/** Cumulative Zipf weights for sampling a word rank with a binary search. */
const ZIPF = (() => {
  const c = new Float64Array(VOCAB.length);
  let sum = 0;
  for (let i = 0; i < VOCAB.length; i++) c[i] = sum += 1 / (i + 2);
  for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) / sum;
  return c;
})();

class Writer {
  readonly rand: () => number;
  /** Chance that a word is replaced by another (near-copies). */
  readonly #mutate: number;
  readonly #mutRand: () => number;

  constructor(seed: number, mutate = 0, mutSeed = 0) {
    this.rand = seededRandom(seed);
    this.#mutate = mutate;
    this.#mutRand = seededRandom(mutSeed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)] as T;
  }

  word(): string {
    const u = this.rand();
    let lo = 0;
    let hi = ZIPF.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ZIPF[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    const w = VOCAB[lo] as string;
    // Mutation draws from its own stream, so a near-copy keeps the original's structure.
    if (this.#mutate > 0 && this.#mutRand() < this.#mutate) return VOCAB[Math.floor(this.#mutRand() * VOCAB.length)] as string;
    return w;
  }

  sentence(): string {
    const n = this.int(5, 24);
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = this.word();
      const r = this.rand();
      if (r < 0.02) w = String(this.int(1, 2024));
      else if (r < 0.025) w = this.pick(NON_ASCII);
      else if (r < 0.06 && i < n - 1) w += ',';
      words.push(w);
    }
    const first = words[0] as string;
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return words.join(' ') + (this.rand() < 0.1 ? '?' : '.');
  }

  paragraph(): string {
    const n = this.int(2, 9);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.sentence());
    return out.join(' ');
  }

  title(): string {
    const n = this.int(2, 6);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(this.word());
    return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  }

  code(): string[] {
    const lines: string[] = [];
    for (let i = this.int(3, 12); i > 0; i--) lines.push(`${'  '.repeat(this.int(0, 2))}$ ${this.word()} --${this.word()}=${this.int(0, 99)} /etc/${this.word()}.conf`);
    return lines;
  }
}

const BOILERPLATE_TEXT = 'Subscribe to our newsletter for weekly updates. We use cookies to improve your experience; by continuing you accept our cookie policy and terms of service.';

function wrap(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line.length > 0 ? `${line} ${w}` : w;
  }
  if (line.length > 0) out.push(line);
  return out.join('\n');
}

/** Keyword-stuffed spam: one sentence over and over, for the repetition filter. */
function spam(w: Writer): string {
  const s = w.sentence();
  return Array.from({ length: w.int(15, 40) }, () => s).join(' ');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function* htmlFile(w: Writer, size: number): Generator<string> {
  let n = 0;
  const emit = (s: string) => ((n += s.length), s);
  yield emit(`<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${w.title()}</title>\n<style>body{font-family:sans-serif}.nav a{color:#333}</style>\n<script>window.dataLayer=[];if(a<b&&c){track("${w.word()}")}</script></head>\n<body>\n`);
  yield emit(`<nav class="navbar"><ul>${Array.from({ length: 8 }, () => `<li><a href="/${w.word()}">${w.title()}</a></li>`).join('')}</ul></nav>\n`);
  yield emit(`<div class="cookie-banner" id="consent"><p>${BOILERPLATE_TEXT}</p><button>Accept</button></div>\n<header class="site-header"><h1>${w.title()}</h1></header>\n<main><article>\n<h1>${w.title()}</h1>\n`);
  while (n < size) {
    const r = w.rand();
    if (r < 0.15) yield emit(`<h2>${w.title()}</h2>\n`);
    else if (r < 0.25) yield emit(`<h3 id="s${w.int(1, 999)}">${w.title()}</h3>\n`);
    else if (r < 0.3) yield emit(`<ul>\n${Array.from({ length: w.int(2, 7) }, () => `  <li>${w.sentence()}</li>`).join('\n')}\n</ul>\n`);
    else if (r < 0.34) yield emit(`<pre class="screen">${w.code().map(escapeHtml).join('\n')}</pre>\n`);
    else if (r < 0.37) yield emit(`<table><tr><th>${w.title()}</th><th>${w.title()}</th></tr>${Array.from({ length: w.int(2, 8) }, () => `<tr><td>${w.word()}</td><td>${w.int(1, 9999)}</td></tr>`).join('')}</table>\n`);
    else if (r < 0.38) yield emit(`<h2>Table of contents</h2>\n<p>${w.paragraph()}</p>\n`);
    else if (r < 0.39) yield emit(`<div class="advert"><p>${w.paragraph()}</p></div>\n`);
    else if (r < 0.395) yield emit(`<h2>${w.title().toUpperCase()}</h2>\n<p>${w.paragraph()}</p>\n`);
    else if (r < 0.40) yield emit(`<p>${spam(w)}</p>\n`);
    else {
      const p = w.paragraph().replace(/ ([a-z]+) /, ' <a href="https://example.org/$1">$1</a> ').replace(/ ([a-z]+)\./, ' <em>$1</em>.');
      yield emit(`<p>${p.replace(/\u2014/g, '&mdash;').replace(/ ,/g, '&nbsp;,')}</p>\n`);
    }
  }
  yield emit(`</article></main>\n<footer class="site-footer"><p>${BOILERPLATE_TEXT}</p><p>&copy; 2024 ${w.title()}. All rights reserved.</p></footer>\n</body></html>\n`);
}

function* markdownFile(w: Writer, size: number): Generator<string> {
  let n = 0;
  const emit = (s: string) => ((n += s.length), s);
  yield emit(`---\ntitle: ${w.title()}\ntags: [${w.word()}, ${w.word()}]\n---\n\n# ${w.title()}\n\n`);
  while (n < size) {
    const r = w.rand();
    if (r < 0.14) yield emit(`## ${w.title()}\n\n`);
    else if (r < 0.22) yield emit(`### ${w.title()}\n\n`);
    else if (r < 0.28) yield emit(Array.from({ length: w.int(2, 6) }, () => `- ${w.sentence()}`).join('\n') + '\n\n');
    else if (r < 0.32) yield emit('```sh\n' + w.code().join('\n') + '\n```\n\n');
    else if (r < 0.35) yield emit(`| ${w.title()} | ${w.title()} |\n|---|---|\n${Array.from({ length: w.int(2, 6) }, () => `| ${w.word()} | ${w.int(1, 999)} |`).join('\n')}\n\n`);
    else if (r < 0.36) yield emit(`## Related posts\n\n${w.paragraph()}\n\n`);
    else if (r < 0.37) yield emit(`${spam(w)}\n\n`);
    else yield emit(wrap(w.paragraph().replace(/ ([a-z]+) /, ' **$1** ').replace(/ ([a-z]+)\./, ' [$1](https://example.org/$1).'), 80) + '\n\n');
  }
  yield emit(`---\n\n${BOILERPLATE_TEXT}\n`);
}

function* textFile(w: Writer, size: number): Generator<string> {
  let n = 0;
  const emit = (s: string) => ((n += s.length), s);
  yield emit(`${w.title().toUpperCase()}\n\n`);
  while (n < size) {
    const r = w.rand();
    if (r < 0.08) yield emit(`${w.int(1, 20)}.${w.int(1, 9)}. ${w.title()}\n\n`);
    else if (r < 0.12) yield emit(w.code().map((l) => `    ${l}`).join('\n') + '\n\n');
    else if (r < 0.13) yield emit('\f\n');
    else yield emit(wrap(w.paragraph(), 72) + '\n\n');
  }
}

interface Spec {
  seed: number;
  format: GeneratedFormat;
  size: number;
}

/**
 * File `i`'s own content: format and size drawn from its seed (log-uniform 2 KB–400 KB; every
 * 150th file is 6 MB, and the 150th is 48 MB, so one file dwarfs everything else).
 */
function spec(corpusSeed: number, i: number): Spec {
  const rand = seededRandom((corpusSeed * 1_000_003 + i * 7919) >>> 0);
  const r = rand();
  const format: GeneratedFormat = r < 0.5 ? 'html' : r < 0.8 ? 'md' : 'txt';
  const size = i === 149 ? 48 * 1024 * 1024 : i % 150 === 149 ? 6 * 1024 * 1024 : Math.round(2048 * Math.exp(rand() * Math.log(200)));
  return { seed: Math.floor(rand() * 0xffffffff), format, size };
}

function* chunk(parts: Generator<string>, pieceChars: number): Generator<string> {
  let buf = '';
  for (const part of parts) {
    buf += part;
    while (buf.length >= pieceChars) {
      yield buf.slice(0, pieceChars);
      buf = buf.slice(pieceChars);
    }
  }
  if (buf.length > 0) yield buf;
}

/** Files until about `totalChars` characters: ~8% exact copies and ~7% near-copies (1% of words changed) of earlier files. */
export function* generateCorpus(totalChars: number, corpusSeed = 7): Generator<GeneratedFile> {
  const pick = seededRandom(corpusSeed);
  let made = 0;
  for (let i = 0; made < totalChars; i++) {
    const r = pick();
    const from = i > 10 && r < 0.15 ? Math.floor(pick() * i) : i;
    const kind: GeneratedFile['kind'] = from === i ? 'fresh' : r < 0.08 ? 'copy' : 'near-copy';
    const s = spec(corpusSeed, from);
    // Copies are of normal-sized files; the big ones are there to show memory stays flat per file.
    if (kind !== 'fresh' && s.size > 1024 * 1024) continue;
    const mutSeed = i;
    const make = s.format === 'html' ? htmlFile : s.format === 'md' ? markdownFile : textFile;
    made += s.size;
    yield {
      path: `gen/${String(i).padStart(5, '0')}.${s.format}`,
      format: s.format,
      size: s.size,
      kind,
      pieces: (pieceChars = PIECE_CHARS) => chunk(make(new Writer(s.seed, kind === 'near-copy' ? 0.01 : 0, mutSeed), s.size), pieceChars),
    };
  }
}
