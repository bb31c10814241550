/**
 * The expected score Σ p·k from the probabilities of the five score tokens at the position where
 * the model wrote its score. Integers tie a third of a corpus at "4"; the expectation ranks pairs
 * more finely and makes "≥ 4.5" (the paper's A5) meaningful.
 *
 * Tokenizers spell a digit in many ways (" 4", "4", "▁4", "Ġ4"); all count as the same score, and
 * their probabilities add up. Mass on other tokens is ignored: probabilities are normalised over
 * the five scores (a constrained decoder gives them all the mass anyway).
 */
import type { TokenLogprob } from '../../ports/llm.ts';

export interface ExpectedScore {
  expected: number;
  /** Probabilities of scores 1..5 (index 0 = score 1), summing to 1. */
  probs: number[];
}

/** The score a token spells, or null. */
export function scoreOfToken(token: string): number | null {
  const t = token.replace(/^[\s▁Ġ]+|[\s▁Ġ]+$/gu, '');
  return /^[1-5]$/.test(t) ? Number(t) : null;
}

/** Σ p·k from one token's alternatives (the chosen token counts too, if it is missing from `top`). */
export function expectedScoreAt(position: TokenLogprob): ExpectedScore | null {
  const mass = [0, 0, 0, 0, 0];
  const seen = new Set<string>();
  for (const alt of position.top) {
    if (seen.has(alt.token)) continue;
    seen.add(alt.token);
    const k = scoreOfToken(alt.token);
    if (k !== null && Number.isFinite(alt.logprob)) mass[k - 1] = (mass[k - 1] ?? 0) + Math.exp(alt.logprob);
  }
  if (!seen.has(position.token)) {
    const k = scoreOfToken(position.token);
    if (k !== null && Number.isFinite(position.logprob)) mass[k - 1] = (mass[k - 1] ?? 0) + Math.exp(position.logprob);
  }
  const total = mass.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const probs = mass.map((m) => m / total);
  return { expected: probs.reduce((sum, p, i) => sum + p * (i + 1), 0), probs };
}

/**
 * The logprob position whose token covers character `charAt` of the reply (token texts laid end to
 * end), when that token spells a score; otherwise the last position that spells one.
 * `charAt` comes from parseRating's `scoreAt`; -1 means "look for the last score token".
 */
export function scorePosition(logprobs: readonly TokenLogprob[], charAt: number): TokenLogprob | undefined {
  if (charAt >= 0) {
    let offset = 0;
    for (const lp of logprobs) {
      const end = offset + lp.token.length;
      if (charAt >= offset && charAt < end) {
        if (scoreOfToken(lp.token) !== null) return lp;
        break;
      }
      offset = end;
    }
  }
  for (let i = logprobs.length - 1; i >= 0; i--) {
    const lp = logprobs[i];
    if (lp && scoreOfToken(lp.token) !== null) return lp;
  }
  return undefined;
}

/** The expected score of a reply, or null when the engine gave no usable probabilities. */
export function expectedScore(logprobs: readonly TokenLogprob[] | undefined, charAt: number): ExpectedScore | null {
  if (!logprobs || logprobs.length === 0) return null;
  const at = scorePosition(logprobs, charAt);
  return at ? expectedScoreAt(at) : null;
}
