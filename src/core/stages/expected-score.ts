/**
 * The expected score Σ p·k from the probabilities of the five score tokens at the position where
 * the model wrote its score. Integers tie a third of a corpus at "4"; the expectation ranks pairs
 * more finely and makes "≥ 4.5" (the paper's A5) meaningful — when it rests on enough probability.
 *
 * Tokenizers spell a digit in many ways ("4", " 4", "▁4", "Ġ4"); all count as the same score, and
 * their probabilities add up. The probabilities are normalised over the five scores, and the mass
 * they covered before normalising is kept: with few alternatives, or a model that put most of its
 * probability on other tokens, that mass is small and the expectation says little. Selection uses
 * the expectation only when the mass reaches EXPECTED_MIN_MASS (`reliableExpected`); otherwise the
 * integer score decides. A chosen token with no alternatives listed is no distribution at all, so
 * it gives no expected score (it used to give a "certain" 5.0).
 */
import type { Rating } from '../records.ts';
import type { TokenLogprob } from '../../ports/llm.ts';

/** Most alternatives per token we ask for: OpenAI's documented maximum (`top_logprobs` 0–20), which vLLM's default max_logprobs matches. */
export const MAX_TOP_LOGPROBS = 20;
/** Below this covered probability the expected score is not used for selection: the integer score is. */
export const EXPECTED_MIN_MASS = 0.5;

export interface ExpectedScore {
  expected: number;
  /** Probabilities of scores 1..5 (index 0 = score 1), summing to 1. */
  probs: number[];
  /** Probability the engine gave the five score tokens together (all spellings), before normalising: 0–1. */
  mass: number;
}

/** The score a token spells, or null. */
export function scoreOfToken(token: string): number | null {
  const t = token.replace(/^[\s▁ĠĊ]+|[\s▁ĠĊ]+$/gu, '');
  return /^[1-5]$/.test(t) ? Number(t) : null;
}

/**
 * Σ p·k from one token's alternatives (the chosen token counts too, if it is missing from `top`).
 * Null when no score token is among them, or when the engine listed nothing besides the chosen token.
 */
export function expectedScoreAt(position: TokenLogprob): ExpectedScore | null {
  if (!position.top.some((alt) => alt.token !== position.token)) return null;
  const perScore = [0, 0, 0, 0, 0];
  const seen = new Set<string>();
  const add = (token: string, logprob: number) => {
    if (seen.has(token)) return;
    seen.add(token);
    const k = scoreOfToken(token);
    if (k !== null && Number.isFinite(logprob)) perScore[k - 1] = (perScore[k - 1] ?? 0) + Math.exp(logprob);
  };
  for (const alt of position.top) add(alt.token, alt.logprob);
  add(position.token, position.logprob);
  const total = perScore.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const probs = perScore.map((m) => m / total);
  return { expected: probs.reduce((sum, p, i) => sum + p * (i + 1), 0), probs, mass: Math.min(1, total) };
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

/**
 * The expected score selection may use: the rating's expectation when the score tokens covered at
 * least `minMass` of the probability, else null (use the integer `score`). Ratings stored before
 * the mass was recorded have no `scoreMass` and count as unreliable.
 */
export function reliableExpected(rating: Pick<Rating, 'expectedScore' | 'scoreMass'>, minMass = EXPECTED_MIN_MASS): number | null {
  const e = rating.expectedScore;
  if (typeof e !== 'number' || !Number.isFinite(e)) return null;
  return typeof rating.scoreMass === 'number' && rating.scoreMass >= minMass ? e : null;
}
