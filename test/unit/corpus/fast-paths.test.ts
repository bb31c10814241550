/**
 * The hand-written fast paths of the corpus pipeline must give exactly what the regex
 * definitions they replaced give; each test checks one against its reference on ugly text.
 */
import { describe, expect, it } from 'vitest';
import { ExactDedup, MinHasher, hash64, segmentHash, seededRandom } from '../../../src/core/corpus/dedup.ts';
import { letterShare, repetitionRatio } from '../../../src/core/corpus/filters.ts';
import { endsWithSlash, findRawEnd, headingLevel, readTag } from '../../../src/core/corpus/html-tags.ts';
import { stripBold, stripInline, stripLinks } from '../../../src/core/corpus/markdown.ts';
import { collapseSpaces, decodeEntities, isSpaceCode, normaliseForHash, ownCopy } from '../../../src/core/corpus/normalise.ts';
import { LshIndex, bandKey } from '../../../src/core/corpus/buckets.ts';
import { SegmentWords, WordList, repetitionOfWords } from '../../../src/core/corpus/words.ts';

const UGLY = [
  '',
  '   ',
  'Hello,   World!',
  '  leading and trailing  ',
  'tabs\tand\nnew\r\nlines\u00a0nbsp\u2028ls\u3000ideographic\ufeffbom',
  'Größe ÿ café NAÏVE — “quoted” ﬁnance ² ½ Ｆｕｌｌｗｉｄｔｈ',
  'İstanbul İİ straße ΣΊΣΥΦΟΣ',
  'emoji 😀 math 𝒜𝒷𝒸 and 𝟙𝟚𝟛 digits',
  'lone \ud800 high and \udc00 low surrogates',
  'a real \ufffd beside lone halves\udbff and \udfffx, \ufffd\ud83d\ude00\ufffd',
  '日本語のテキスト、句読点。中文。',
  'a b c a b c a b c a b c',
  'x'.repeat(5000),
  Array.from({ length: 3000 }, (_, i) => `w${i % 37}`).join(' '),
];

/** The regex definitions these fast paths replaced. */
const reference = {
  repetition(text: string, n = 3): number {
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const total = words.length - n + 1;
    if (total <= 1) return 0;
    const seen = new Set<string>();
    let repeats = 0;
    for (let i = 0; i < total; i++) {
      const gram = words.slice(i, i + n).join(' ');
      if (seen.has(gram)) repeats++;
      else seen.add(gram);
    }
    return repeats / total;
  },
  collapse: (text: string) => text.replace(/[\s\u00a0]+/g, ' ').trim(),
  /** stripInline with every rule run unconditionally. */
  stripInline(text: string): string {
    let t = text.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, (_, c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0)));
    t = t.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1');
    t = t.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
    t = t.replace(/<(https?:\/\/[^>\s]+)>/g, '$1').replace(/<\/?[A-Za-z][^>]*>/g, '');
    t = t.replace(/(`+)(.+?)\1/g, '$2');
    t = t.replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2');
    t = t.replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)/g, '$1$2');
    t = t.replace(/(^|[^\w])_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2');
    t = t.replace(/~~(.+?)~~/g, '$1');
    t = t.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
    return decodeEntities(t);
  },
  tag(buf: string, lt: number) {
    const re = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>=]|=\s*"[^"]*"|=\s*'[^']*'|=(?!\s*["']))*)>/y;
    re.lastIndex = lt;
    const m = re.exec(buf);
    return m ? { closing: m[1] === '/', name: m[2], attrs: m[3], end: lt + m[0].length } : null;
  },
};

const randomText = (seed: number, length: number) => {
  const rand = seededRandom(seed);
  const alphabet = ['a', 'B', 'z', '1', ' ', ' ', '  ', '\n', '\t', ',', '.', 'é', 'İ', 'ﬁ', '\u00a0', '😀', '\ud800', '²', 'Σ', '-'];
  let s = '';
  while (s.length < length) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
};

const samples = [...UGLY, ...Array.from({ length: 200 }, (_, i) => randomText(i + 1, 1 + (i % 60) * 7))];

describe('word scan', () => {
  it('finds the words normaliseForHash leaves, and hashes their joined form like hash64', () => {
    for (const text of samples) {
      const words = new SegmentWords(text).hashed();
      const expected = normaliseForHash(text).split(' ').filter((w) => w !== '');
      expect(Array.from({ length: words.count }, (_, i) => words.word(i)), JSON.stringify(text)).toEqual(expected);
      expect(segmentHash(text), JSON.stringify(text)).toBe(hash64(normaliseForHash(text)));
    }
  });

  it('gives each word the FNV-1a hash of its code units', () => {
    const words = new WordList().scan('a ab 😀x');
    const fnv = (w: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
      return h >>> 0;
    };
    // The emoji is neither letter nor digit, so it separates "x" from "ab".
    expect(Array.from({ length: words.count }, (_, i) => words.word(i))).toEqual(['a', 'ab', 'x']);
    expect(Array.from(words.hashes.subarray(0, 3))).toEqual([fnv('a'), fnv('ab'), fnv('x')]);
    expect(new WordList().scan('x 𝒜𝒷 y').word(1)).toBe('𝒜𝒷');
  });

  it('grows past its first buffers', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    const words = new WordList().scan(text);
    expect(words.count).toBe(1000);
    expect(words.word(999)).toBe('w999');
  });

  it('measures repetition exactly as the regex version did, for several n-gram sizes', () => {
    for (const text of samples) for (const n of [1, 2, 3, 5]) expect(repetitionRatio(text, n), `${n} ${JSON.stringify(text)}`).toBe(reference.repetition(text, n));
    expect(repetitionOfWords(new WordList().scan('a b c a b c a b c a b c'), 3)).toBe(0.7);
  });

  it('counts letters in the word scan as letterShare counts them, and reuses its buffers between texts', () => {
    const words = new SegmentWords();
    const controls = 'tab\there\fform feed\vvertical \u0085next \u2028line 123 !!! ¡¿';
    for (const text of [...samples, controls]) {
      words.reset(text);
      if (words.lowerText().length === text.length) expect(words.letterShare(), JSON.stringify(text)).toBe(letterShare(text));
      expect(words.lower().count, JSON.stringify(text)).toBe(new WordList().scan(text.toLowerCase()).count);
    }
  });

  it('tells apart n-grams whose word hashes collide', () => {
    // "gxwjqbe" and "ensbcjc" have the same FNV-1a hash and length: only their characters differ.
    const fnv = (w: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
      return h >>> 0;
    };
    expect(fnv('gxwjqbe')).toBe(fnv('ensbcjc'));
    for (const text of ['gxwjqbe x y ensbcjc x y', 'x gxwjqbe y x ensbcjc y gxwjqbe x y ensbcjc', 'gxwjqbe gxwjqbe ensbcjc ensbcjc gxwjqbe gxwjqbe']) {
      for (const n of [1, 2, 3]) expect(repetitionOfWords(new WordList().scan(text), n), `${n} ${text}`).toBe(reference.repetition(text, n));
    }
  });

  it('keeps MinHash signatures as they were for text and for its scanned words', () => {
    const hasher = new MinHasher(8, 42, 3);
    const text = 'the quick brown fox jumps over the lazy dog';
    expect(Array.from(hasher.signature(text))).toEqual(Array.from(hasher.signatureOf(new SegmentWords(text).hashed())));
    // Pinned values (from before the word scan): a change here would silently change which near-duplicates a corpus drops.
    expect(Array.from(hasher.signature(''))).toEqual(Array.from(hasher.signature('!!!')));
    expect(Array.from(new MinHasher(4, 1, 2).signature('alpha beta gamma'))).toEqual([971218569, 1837939389, 1943341296, 596816794]);
  });
});

describe('white space', () => {
  it('knows the same white space as \\s, for every UTF-16 code unit', () => {
    const wrong: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c);
    expect(wrong).toEqual([]);
  });

  it('collapses runs and trims exactly like replace(/\\s+/g, " ").trim(), returning tidy text untouched', () => {
    for (const text of samples) expect(collapseSpaces(text), JSON.stringify(text)).toBe(reference.collapse(text));
    expect(collapseSpaces('  a \n\t b  ')).toBe('a b');
    const tidy = 'already tidy text';
    expect(collapseSpaces(tidy)).toBe(tidy);
  });

  it('copies a string cut from a long one with the same characters', () => {
    const piece = 'x'.repeat(70_000) + 'Header text, long enough to be a slice';
    const header = piece.slice(70_000);
    expect(ownCopy(header)).toBe('Header text, long enough to be a slice');
    expect(ownCopy('')).toBe('');
  });
});

describe('HTML tag reader', () => {
  it('reads tags as the tag regex did, quotes and all', () => {
    const cases = [
      '<p>',
      '</div >',
      '<a href="x>y" class=\'b\'>text',
      '<br/>',
      '<img src=x alt="a \'q\' b"/>',
      '<h2 id=s1>',
      '<svg:rect x=1>',
      '<a href="unclosed>',
      "<a title='unclosed>",
      '<1abc>',
      '< p>',
      '<',
      '<p',
      '</>',
      '<x-y:z data-a="1" data-b=\'2\' c>',
      'text <b>bold</b> <i class="x">',
      // A quote opens a value only after "=": a stray one is a character, as browsers read it.
      '<img height="63""></a>',
      '<a b"c=d\'>e</a>',
      '<a x= "y>z" w=v"u>',
      '<a x=="q>" y>',
    ];
    for (const html of cases) for (let lt = html.indexOf('<'); lt !== -1; lt = html.indexOf('<', lt + 1)) expect(readTag(html, lt), `${html} @${lt}`).toEqual(reference.tag(html, lt));
    expect(readTag('<a href="x>y">', 0)).toEqual({ closing: false, name: 'a', attrs: ' href="x>y"', end: 14 });
    expect(readTag('<img height="63""></a>', 0)).toEqual({ closing: false, name: 'img', attrs: ' height="63""', end: 18 });
  });
});

describe('Markdown inline stripping', () => {
  it('skips the inline rules only for text none of them could change', () => {
    expect(stripInline('Plain prose, with commas; and (parentheses) too.')).toBe('Plain prose, with commas; and (parentheses) too.');
    expect(stripInline('Tom &amp; Jerry')).toBe('Tom & Jerry');
    // Private-use characters are where escapes are parked, so they still take the full path.
    expect(stripInline('a \ue02a b')).toBe('a * b');
    expect(stripInline('a *b* and `c` [d](e) ~~f~~ \\*g')).toBe('a b and c d f *g');
  });

  it('gives what running every rule unconditionally gives', () => {
    const cases = [
      'see [a](b) and **c** then *d* e_f_ g',
      '![img](x.png) and ! [not](y) [ref][1] [a] [b]',
      '**bold *nested* text** and __under__ _it_ ***both***',
      '* not italic * and ** not bold ** and a*b*c',
      '`code *x*` ``a ` b`` ~~gone~~ ~single~',
      '<https://x.org/a> <b>tag</b> < notag > a<b',
      '\\*escaped\\* \\[x\\](y) \\_u\\_ \\`t\\` \\\\',
      '[[nested]](u) [x](y) [z](w)[q][r] ](( ][',
      '&amp; &#42;star&#42; **a** &lt;b&gt; \ue02a',
      '_a_ __b__ _ c _ snake_case_name x_y',
      'é**ü** «*x*» 😀[a](b)😀 *😀*',
    ];
    for (const text of [...cases, ...samples]) expect(stripInline(text), JSON.stringify(text)).toBe(reference.stripInline(text));
  });

  it('strips links and bold by hand exactly as their regexes did', () => {
    const rand = seededRandom(11);
    // Markup characters, spaces of several kinds, line ends (which the regex dot does not cross) and a lone surrogate.
    const alphabet = ['*', '*', '_', '_', '[', ']', '(', ')', 'a', 'b', ' ', '\n', '\r', '\u2028', '\u00a0', '!', '\ud800'];
    const texts = ['**a**', '****', '** a**', '**a **', '***a***', '__a__b__', '**a\nb**', '[a](b)', '[](b)', '[a] (b)', '[a [b](c)', '[a](b', '[[a]](b)'];
    for (let k = 0; k < 20000; k++) {
      let text = '';
      for (let i = Math.floor(rand() * 24); i > 0; i--) text += alphabet[Math.floor(rand() * alphabet.length)];
      texts.push(text);
    }
    for (const text of texts) {
      expect(stripLinks(text), JSON.stringify(text)).toBe(text.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'));
      expect(stripBold(text), JSON.stringify(text)).toBe(text.replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2'));
    }
  });
});

describe('LSH index', () => {
  it('finds every id under a band key, and only those, through many growths of every part', () => {
    const bands = 3;
    const rows = 2;
    const index = new LshIndex(bands, rows);
    const rand = seededRandom(3);
    const sigs: Uint32Array[] = [];
    for (let id = 0; id < 9000; id++) {
      // Rows from a small pool, so many signatures share a band key, plus some unique ones.
      const sig = Uint32Array.from({ length: bands * rows }, () => (id % 5 === 0 ? Math.floor(rand() * 0x100000000) : Math.floor(rand() * 6)));
      sigs.push(sig);
      expect(index.add(sig)).toBe(id);
    }
    expect(index.size).toBe(9000);
    const expected = new Map<string, number[]>();
    sigs.forEach((sig, id) => {
      for (let band = 0; band < bands; band++) {
        const k = `${band}:${bandKey(sig, 0, band, rows)}`;
        const ids = expected.get(k) ?? [];
        ids.push(id);
        expected.set(k, ids);
      }
    });
    expect(new Set([...expected.keys()].map((k) => Number(k.split(':')[1]) >>> 28)).size).toBe(16); // every part is used
    for (const [k, ids] of expected) {
      const [band, key] = k.split(':').map(Number) as [number, number];
      const seen: number[] = [];
      expect(index.some(band, key, (id) => (seen.push(id), false))).toBe(false);
      expect(seen.sort((a, b) => a - b)).toEqual(ids);
      // Stops at the first id the visitor accepts.
      let calls = 0;
      expect(index.some(band, key, () => (calls++, true))).toBe(true);
      expect(calls).toBe(1);
    }
    expect(index.some(0, 12345, () => true)).toBe(false);
    // Stored signatures read back from their chunks (8,192 to a chunk).
    for (const id of [0, 8191, 8192, 8999]) expect(Array.from(index.chunk(id).subarray(index.offset(id), index.offset(id) + bands * rows))).toEqual(Array.from(sigs[id] as Uint32Array));
  });

  it('keeps exact-dedup hashes like a Set of strings, through growth, for the zero hash and other shapes', () => {
    const d = new ExactDedup();
    const ref = new Set<string>();
    const rand = seededRandom(9);
    const hex = () => Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
    const pool = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? `00000000${hex()}` : i % 11 === 0 ? `${hex()}00000000` : hex() + hex()));
    pool.push('0000000000000000', 'ffffffffffffffff', 'not-a-hash', 'ABCDEF0123456789');
    for (let i = 0; i < 12_000; i++) {
      const h = pool[Math.floor(rand() * pool.length)] as string;
      expect(d.add(h), h).toBe(!ref.has(h));
      ref.add(h);
    }
    expect(d.size).toBe(ref.size);
  });
});

describe('HTML tag questions', () => {
  it('answers like the string and regex calls they replaced', () => {
    for (const attrs of ['', ' /', ' a="b" /', ' a="b"/ \n', ' a="b"', '/x', ' x=/ ']) expect(endsWithSlash(attrs), JSON.stringify(attrs)).toBe(attrs.trimEnd().endsWith('/'));
    for (const name of ['h1', 'h6', 'h7', 'h0', 'hr', 'h', 'h12', 'p']) expect(headingLevel(name), name).toBe(/^h([1-6])$/.test(name) ? Number(name[1]) : 0);
    const buf = 'x </SCRIPT> y </script>';
    expect(findRawEnd(buf, '</script', 0)).toBe(buf.toLowerCase().indexOf('</script', 0));
    expect(findRawEnd(buf, '</script', 3)).toBe(buf.toLowerCase().indexOf('</script', 3));
    expect(findRawEnd(buf, '</style', 0)).toBe(-1);
    // ASCII case only, with indexes into the buffer as it is, whatever else it holds.
    expect(findRawEnd('İ </SCRİPT> </Script>', '</script', 0)).toBe(12);
  });
});
