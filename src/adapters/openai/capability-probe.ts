/**
 * Capabilities verified, not assumed: one tiny request per lever the stages would use — a
 * grammar that allows only a digit 1–5, and logprobs with the server's most alternatives. A
 * server that rejects the request (HTTP 400/422) or ignores it (answers outside the grammar,
 * sends no logprobs) is marked without that lever, with the reason in the user's words, so
 * the rating stage can say which mode it fell back to.
 */
import { FAST_GRAMMAR, FAST_REPLY } from '../../core/stages/grammar.ts';
import type { ServerProfile } from '../../core/endpoint-servers.ts';
import type { LlmCapabilities, LlmReply, LlmRequest } from '../../ports/llm.ts';

export type Levers = Pick<LlmCapabilities, 'grammar' | 'logprobs' | 'maxTopLogprobs' | 'limits'>;

/** The probes' question (exported so tests can tell probe requests from the stages' own). */
export const PROBE_QUESTION = 'How good is this test request, from 1 to 5? Reply with the digit only.';
const PROBE_MESSAGES: LlmRequest['messages'] = [{ role: 'user', content: PROBE_QUESTION }];

/** A rejection we read as "the server does not take this option", not as a broken server. */
function rejected(err: unknown): string | null {
  const e = err as { name?: unknown; status?: unknown; message?: unknown };
  if (e?.name === 'EndpointStatusError' && (e.status === 400 || e.status === 422)) return String(e.message);
  if (e?.name === 'UnsupportedRequestError') return String(e.message);
  return null;
}

const shorten = (s: string, n = 120): string => (s.length > n ? `${s.slice(0, n)}…` : s);

export async function probeLevers(
  profile: ServerProfile,
  complete: (request: LlmRequest) => Promise<LlmReply>,
): Promise<Levers> {
  const out: Levers = { grammar: false, logprobs: false, maxTopLogprobs: 0 };
  const limits: NonNullable<LlmCapabilities['limits']> = {};

  if (profile.grammarField === null) {
    limits.grammar = profile.noGrammarReason ?? 'the server takes no grammar';
  } else {
    try {
      const reply = await complete({ messages: PROBE_MESSAGES, maxTokens: 1, temperature: 0, constraint: { type: 'grammar', grammar: FAST_GRAMMAR } });
      if (FAST_REPLY.test(reply.text)) out.grammar = true;
      else limits.grammar = `the server ignored the grammar in a test request (it answered ${JSON.stringify(shorten(reply.text, 40))})`;
    } catch (err) {
      const why = rejected(err);
      if (why === null) throw err;
      limits.grammar = `the server rejected a grammar in a test request: ${shorten(why)}`;
    }
  }

  if (profile.maxTopLogprobs === 0) {
    limits.logprobs = 'the server returns no logprobs';
  } else {
    // vLLM started with a lower --max-logprobs refuses 20 with a 400: try the web-llm-sized 5 next.
    for (const asked of [...new Set([profile.maxTopLogprobs, Math.min(5, profile.maxTopLogprobs)])]) {
      try {
        const reply = await complete({ messages: PROBE_MESSAGES, maxTokens: 1, temperature: 0, topLogprobs: asked });
        const most = Math.max(0, ...(reply.logprobs ?? []).map((t) => t.top.length));
        if (reply.logprobs && reply.logprobs.length > 0 && most > 0) {
          out.logprobs = true;
          out.maxTopLogprobs = Math.min(asked, most);
          delete limits.logprobs;
        } else {
          limits.logprobs = 'the server sent no logprobs in a test request that asked for them';
        }
        break;
      } catch (err) {
        const why = rejected(err);
        if (why === null) throw err;
        limits.logprobs = `the server rejected logprobs in a test request: ${shorten(why)}`;
      }
    }
  }
  if (limits.grammar !== undefined || limits.logprobs !== undefined) out.limits = limits;
  return out;
}
