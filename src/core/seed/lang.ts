/**
 * A small language guess, good enough to keep an English seed set English: the writing system
 * decides for non-Latin text (Han, kana, Hangul, Cyrillic, Arabic...), and for Latin text the
 * language whose common short words (and tell-tale letters such as "ñ" or "ß") occur most.
 * Answers 'und' (undetermined) when the text is too short or two languages tie — the English
 * filter keeps those, since a guess is not evidence. Codes are ISO 639-1, as OpenAssistant uses.
 */

const STOPWORDS: Record<string, string> = {
  en: 'the and of to is that it for you with this are be was have what how can not or an my your which would there they will from about do does i me if at by we but',
  es: 'el la los las de que y en un una es por para con no se del al lo como más pero sus le ya o este sí porque esta entre cuando muy sin sobre también me hay qué cómo puedes',
  fr: 'le la les de des et est un une du en que qui dans pour pas sur au avec ce il elle je vous nous sont mais ou par plus cette comment quel quelle',
  de: 'der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es an als wie wir ich sie du kann oder wird sind was bitte einen',
  pt: 'o os a as de que e do da em um uma para com não por mais dos das se na no como mas ao ele ela você é são isso esta este muito',
  it: 'il lo la gli le di che e è un una per non in con del della sono mi si ma come anche questo questa più nel alla cosa puoi',
  nl: 'de het een en van is dat op te zijn niet met voor die er aan ook als maar om hoe wat kan ik je jij wordt naar',
  ca: 'el la els les de i que és un una per amb no del als com més però aquest aquesta perquè',
  pl: 'i w z na się nie to jest że do o jak co ale czy po dla tak może są przez który która',
  vi: 'và của là không có những được cho các một trong người này với để tôi bạn',
  tr: 've bir bu da de için ile ne mi çok daha gibi olan nasıl var değil ben sen',
};

/** Letters that mark one Latin-script language; each occurrence counts like a common word. */
const TELL_TALE: Record<string, RegExp> = {
  es: /[ñ¿¡]/g,
  pt: /[ãõ]/g,
  de: /[ßäöü]/g,
  pl: /[ąęłńśźż]/g,
  tr: /[ğış]/g,
  vi: /[ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/g,
  ca: /l·l/g,
};

/** Each common word → the languages it is common in: one lookup per word of the text. */
const WORD_LANGS = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOPWORDS)) {
  for (const w of words.split(' ')) WORD_LANGS.set(w, [...(WORD_LANGS.get(w) ?? []), lang]);
}

/**
 * Code-point ranges of the scripts that decide a language (Cyrillic → ru/uk below, Latin → the
 * word counts). Ranges, not a `\p{Script=…}` regex per character: one pass with integer compares
 * is much cheaper, which matters when a 10,000-pair seed set is guessed pair by pair. Letters
 * outside these ranges still count towards the total (via `\p{L}`), so they can stop a script
 * from dominating.
 */
const RANGES: [number, number, string][] = [
  [0x41, 0x5a, 'latin'], [0x61, 0x7a, 'latin'], [0xc0, 0xd6, 'latin'], [0xd8, 0xf6, 'latin'], [0xf8, 0x24f, 'latin'],
  [0x1e00, 0x1eff, 'latin'],
  [0x370, 0x3ff, 'el'], [0x400, 0x52f, 'ru'], [0x590, 0x5ff, 'he'], [0x600, 0x6ff, 'ar'], [0x750, 0x77f, 'ar'],
  [0x900, 0x97f, 'hi'], [0xe00, 0xe7f, 'th'], [0x1100, 0x11ff, 'ko'], [0x3130, 0x318f, 'ko'], [0xac00, 0xd7af, 'ko'],
  [0x3040, 0x30ff, 'kana'], [0x31f0, 0x31ff, 'kana'], [0xff66, 0xff9d, 'kana'],
  [0x3400, 0x4dbf, 'han'], [0x4e00, 0x9fff, 'han'], [0xf900, 0xfaff, 'han'], [0x20000, 0x2ffff, 'han'],
];

function scriptOf(cp: number): string | null {
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? 'latin' : null;
  for (const [lo, hi, script] of RANGES) if (cp >= lo && cp <= hi) return script;
  return null;
}

const MIN_LETTERS = 6;

/** Characters looked at: plenty for a guess, and bounded for long replies. */
const SAMPLE_CHARS = 1500;

/** The text's language as an ISO 639-1 code, or 'und'. */
export function guessLanguage(fullText: string): string {
  const text = fullText.slice(0, SAMPLE_CHARS);
  const counts = new Map<string, number>();
  let letters = 0;
  for (let i = 0; i < text.length; i += 1) {
    const cp = text.codePointAt(i) ?? 0;
    if (cp > 0xffff) i += 1;
    let script = scriptOf(cp);
    if (script === null && cp >= 0x80 && /\p{L}/u.test(String.fromCodePoint(cp))) script = 'other';
    if (script === null) continue;
    letters += 1;
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  const han = counts.get('han') ?? 0;
  const kana = counts.get('kana') ?? 0;
  if (letters < MIN_LETTERS && han + kana === 0) return 'und';
  // Japanese mixes kana into Han; Chinese has none. Half the letters make a script dominant.
  if (kana > 0 && (han + kana) * 2 >= letters) return 'ja';
  if (han * 2 >= letters) return 'zh';
  for (const [script, n] of counts) {
    if (n * 2 < letters || script === 'other' || script === 'han' || script === 'kana') continue;
    if (script === 'ru') return guessCyrillic(text);
    return script === 'latin' ? guessLatin(text) : script;
  }
  return 'und';
}

const UK_WORDS = new Set('як що це та й або але чи мені його також було'.split(' '));
const RU_WORDS = new Set('как что это и не на но или мне его также было'.split(' '));

/** Ukrainian has і ї є ґ and Russian ы э ё ъ; short texts fall back to common words. */
function guessCyrillic(text: string): string {
  const lower = text.toLowerCase();
  let uk = lower.match(/[іїєґ]/gu)?.length ?? 0;
  let ru = lower.match(/[ыэёъ]/gu)?.length ?? 0;
  for (const w of lower.match(/\p{L}+/gu) ?? []) {
    if (UK_WORDS.has(w)) uk += 1;
    if (RU_WORDS.has(w)) ru += 1;
  }
  return uk > ru ? 'uk' : 'ru';
}

function guessLatin(text: string): string {
  const lower = text.toLowerCase();
  const words = lower.match(/\p{L}+/gu) ?? [];
  const scores = new Map<string, number>(Object.keys(STOPWORDS).map((lang) => [lang, 0]));
  for (const w of words) for (const lang of WORD_LANGS.get(w) ?? []) scores.set(lang, (scores.get(lang) ?? 0) + 1);
  for (const [lang, tell] of Object.entries(TELL_TALE)) scores.set(lang, (scores.get(lang) ?? 0) + (lower.match(tell)?.length ?? 0));
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 2 || best[1] < words.length * 0.1) return 'und';
  if (second && second[1] === best[1]) return 'und';
  return best[0];
}
