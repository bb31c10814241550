/**
 * One line that says what a loaded engine does for the rating stage, in the user's words: whether
 * the score line is constrained by a grammar, whether an expected score can be read from logprobs,
 * how many requests run at once and the context each has — and, for a lever that is off, why
 * (from the capability check), so the user sees which mode rating falls back to.
 */
import { SERVER_TITLES, type ServerKind } from '../endpoint-servers.ts';
import type { LlmCapabilities } from '../../ports/llm.ts';

export function describeLevers(caps: LlmCapabilities): string {
  const parts: string[] = [];
  if (caps.server && caps.server in SERVER_TITLES) parts.push(SERVER_TITLES[caps.server as ServerKind]);
  parts.push(caps.grammar ? 'ratings constrained to a score line' : `ratings not constrained (${caps.limits?.grammar ?? 'no grammar'}): the score is read from the text`);
  parts.push(caps.logprobs ? `expected scores from ${caps.maxTopLogprobs} alternatives` : `no expected scores (${caps.limits?.logprobs ?? 'no logprobs'})`);
  parts.push(`${caps.concurrency} at once`);
  if (caps.contextWindow > 0) parts.push(`${caps.contextWindow.toLocaleString('en')}-token context`);
  return parts.join(' · ');
}
