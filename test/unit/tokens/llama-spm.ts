/**
 * llama.cpp's SentencePiece ("llama") tokenizer, ported from llm_tokenizer_spm (src/llama-vocab.cpp)
 * for the tests: spaces become `▁`, characters merge pairwise by the highest-scoring vocabulary
 * piece (ties: leftmost pair first), and characters the vocabulary lacks become `<0xNN>` bytes.
 * The tests run it beside transformers.js on the tiny tokenizer to show the two agree.
 */
export interface SpmVocab {
  tokens: readonly string[];
  scores: readonly number[];
}

interface Bigram {
  left: number;
  right: number;
  score: number;
  text: string;
}

export function spmTokenize(vocab: SpmVocab, text: string, addBos = true): number[] {
  const ids = new Map(vocab.tokens.map((t, i) => [t, i]));
  const chars = [...text.replaceAll(' ', '▁')];
  const sym = chars.map((c, i) => ({ text: c, prev: i - 1, next: i + 1 < chars.length ? i + 1 : -1, live: true }));
  const queue: Bigram[] = [];
  const tryAdd = (left: number, right: number) => {
    if (left < 0 || right < 0) return;
    const l = sym[left];
    const r = sym[right];
    if (!l || !r) return;
    const joined = l.text + r.text;
    const id = ids.get(joined);
    if (id === undefined) return;
    queue.push({ left, right, score: vocab.scores[id] ?? 0, text: joined });
  };
  for (let i = 1; i < sym.length; i++) tryAdd(i - 1, i);
  while (queue.length > 0) {
    // Highest score first; equal scores: the leftmost pair (llm_bigram_spm::comparator).
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i] as Bigram;
      const b = queue[best] as Bigram;
      if (a.score > b.score || (a.score === b.score && a.left < b.left)) best = i;
    }
    const bigram = queue.splice(best, 1)[0] as Bigram;
    const l = sym[bigram.left];
    const r = sym[bigram.right];
    if (!l || !r || !l.live || !r.live || l.text + r.text !== bigram.text || l.next !== bigram.right) continue;
    l.text += r.text;
    r.live = false;
    l.next = r.next;
    const after = sym[r.next];
    if (after) after.prev = bigram.left;
    tryAdd(l.prev, bigram.left);
    tryAdd(bigram.left, l.next);
  }
  const out: number[] = addBos ? [1] : [];
  for (let i = 0; i >= 0 && i < sym.length; ) {
    const s = sym[i];
    if (!s) break;
    const id = ids.get(s.text);
    if (id !== undefined) out.push(id);
    else for (const byte of new TextEncoder().encode(s.text)) out.push(ids.get(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`) ?? 0);
    i = s.next;
  }
  return out;
}
