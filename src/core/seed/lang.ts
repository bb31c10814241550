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

const WORD_SETS = Object.entries(STOPWORDS).map(([lang, words]) => [lang, new Set(words.split(' '))] as const);

/** Scripts other than Latin that name their language outright (or nearly: Cyrillic → ru/uk below). */
const SCRIPTS: [RegExp, string][] = [
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Devanagari}/u, 'hi'],
  [/\p{Script=Latin}/u, 'latin'],
];

const MIN_LETTERS = 6;

/** Characters looked at: plenty for a guess, and bounded for long replies. */
const SAMPLE_CHARS = 2000;

/** The text's language as an ISO 639-1 code, or 'und'. */
export function guessLanguage(fullText: string): string {
  const text = fullText.slice(0, SAMPLE_CHARS);
  const counts = new Map<string, number>();
  let letters = 0;
  let han = 0;
  let kana = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters += 1;
    if (/\p{Script=Han}/u.test(ch)) han += 1;
    else if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch)) kana += 1;
    else {
      const script = SCRIPTS.find(([re]) => re.test(ch))?.[1] ?? 'other';
      counts.set(script, (counts.get(script) ?? 0) + 1);
    }
  }
  if (letters < MIN_LETTERS && han + kana === 0) return 'und';
  // Japanese mixes kana into Han; Chinese has none. Half the letters make the script dominant.
  if (kana > 0 && (han + kana) * 2 >= letters) return 'ja';
  if (han * 2 >= letters) return 'zh';
  let top = 'other';
  let topCount = 0;
  for (const [script, n] of counts) if (n > topCount) [top, topCount] = [script, n];
  if (topCount * 2 < letters || top === 'other') return 'und';
  if (top === 'ru') return guessCyrillic(text);
  if (top !== 'latin') return top;
  return guessLatin(text);
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
  const scores = new Map<string, number>();
  for (const [lang, set] of WORD_SETS) {
    let hits = 0;
    for (const w of words) if (set.has(w)) hits += 1;
    const tell = TELL_TALE[lang];
    if (tell) hits += lower.match(tell)?.length ?? 0;
    scores.set(lang, hits);
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 2 || best[1] < words.length * 0.1) return 'und';
  if (second && second[1] === best[1]) return 'und';
  return best[0];
}
