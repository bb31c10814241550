/**
 * Reading a 2xx chat-completions response into an `LlmReply`: whole JSON, or a server-sent
 * event stream whose deltas are handed to the caller as they arrive. A body that is cut off or
 * not the expected shape becomes an `EndpointReplyError` naming what was wrong.
 */
import { readChunk, readCompletion } from '../../core/chat-completions.ts';
import { createSseParser, SSE_DONE } from '../../core/sse.ts';
import type { LlmReply, TokenLogprob } from '../../ports/llm.ts';
import { EndpointReplyError } from './errors.ts';
import type { Attempt } from './transport.ts';

/** What a stream has shown so far: kept outside the read so an interrupt can return it. */
export interface SoFar {
  text: string;
  logprobs: TokenLogprob[];
  /** Some text reached the caller: a retry would repeat it. */
  shown: boolean;
}

export const nothingSoFar = (): SoFar => ({ text: '', logprobs: [], shown: false });

function parseJson(text: string, endpoint: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const snippet = text.length > 80 ? `…${text.slice(-80)}` : text;
    throw new EndpointReplyError(endpoint, `${what} is cut off or not JSON: ${JSON.stringify(snippet)}`, { cause: err });
  }
}

export async function readWhole(res: Response, endpoint: string, model: string): Promise<LlmReply> {
  const body = parseJson(await res.text(), endpoint, 'the reply');
  const r = readCompletion(body, model);
  if (!r.ok) throw new EndpointReplyError(endpoint, r.issue.message);
  return r.value;
}

export async function readStream(
  res: Response,
  attempt: Attempt,
  endpoint: string,
  model: string,
  onDelta: (delta: string) => void,
  partial: SoFar,
): Promise<LlmReply> {
  // Some servers ignore `stream: true` (or answer an error) with plain JSON.
  if ((res.headers.get('content-type') ?? '').includes('application/json')) {
    const whole = await readWhole(res, endpoint, model);
    partial.text = whole.text;
    partial.shown = true;
    if (whole.text) onDelta(whole.text);
    return whole;
  }
  if (!res.body) throw new EndpointReplyError(endpoint, 'the stream has no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = createSseParser();
  let finishReason: LlmReply['finishReason'] | undefined;
  let usage: LlmReply['usage'] | undefined;
  let replyModel = model;
  let done = false;
  let hasLogprobs = false;
  let chunks = 0;

  const take = (events: string[]): void => {
    for (const data of events) {
      if (data === SSE_DONE) {
        done = true;
        continue;
      }
      const piece = readChunk(parseJson(data, endpoint, 'a streamed chunk'));
      if (!piece.ok) throw new EndpointReplyError(endpoint, piece.issue.message);
      const p = piece.value;
      if (p.model) replyModel = p.model;
      if (p.usage) usage = p.usage;
      if (p.finishReason) finishReason = p.finishReason;
      if (p.logprobs) {
        hasLogprobs = true;
        partial.logprobs.push(...p.logprobs);
      }
      if (p.delta) {
        chunks++;
        partial.text += p.delta;
        partial.shown = true;
        onDelta(p.delta);
      }
    }
  };

  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      attempt.kick();
      take(parser.push(decoder.decode(value, { stream: true })));
      if (done) break;
    }
    if (!done) take(parser.push(decoder.decode()).concat(parser.end()));
  } finally {
    // Frees the connection if we stopped reading early; a no-op after the end.
    void reader.cancel().catch(() => {});
  }
  if (!done && finishReason === undefined) {
    throw new EndpointReplyError(endpoint, `the stream ended before the reply finished (after ${JSON.stringify(partial.text.slice(-40))})`);
  }
  const reply: LlmReply = {
    text: partial.text,
    finishReason: finishReason ?? 'stop',
    // Without a usage chunk, count the pieces: servers stream one token per chunk.
    usage: usage ?? { promptTokens: 0, completionTokens: hasLogprobs ? partial.logprobs.length : chunks },
    model: replyModel,
  };
  if (hasLogprobs) reply.logprobs = partial.logprobs;
  return reply;
}
