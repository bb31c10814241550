/**
 * The test chat server's replies, deterministic down to the logprobs so tests can assert exact
 * values: text is split into "tokens" at whitespace (each token keeps its leading space), token
 * i has logprob −((i mod 5) + 1)/8 (exact in binary), and its k-th alternative has that minus k.
 * Alternatives of a score digit 1–5 are the other digits, so rating code sees a real spread.
 */

export interface ChatBody {
  model?: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  stop?: string[] | string;
  logprobs?: boolean;
  top_logprobs?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  grammar?: string;
  response_format?: unknown;
}

export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

export const tokenLogprob = (i: number): number => -((i % 5) + 1) / 8;

function alternatives(token: string, count: number): string[] {
  const digit = /^(\s*)([1-5])$/.exec(token);
  if (digit) {
    const others = ['1', '2', '3', '4', '5'].filter((d) => d !== digit[2]).map((d) => `${digit[1]}${d}`);
    return others.slice(0, count);
  }
  return Array.from({ length: count }, (_, k) => `${token}#${k + 1}`);
}

export function logprobEntry(token: string, i: number, top: number): Record<string, unknown> {
  const lp = tokenLogprob(i);
  const entry = (t: string, l: number) => ({ token: t, logprob: l, bytes: [...Buffer.from(t, 'utf8')] });
  return {
    ...entry(token, lp),
    top_logprobs: top > 0 ? [entry(token, lp), ...alternatives(token, top - 1).map((t, k) => entry(t, lp - (k + 1)))] : [],
  };
}

export interface BuiltReply {
  completion: Record<string, unknown>;
  chunks: Record<string, unknown>[];
  text: string;
  finishReason: 'stop' | 'length';
}

/** Applies stop strings and max_tokens to `fullText`, then shapes it as OpenAI would. */
export function chatReply(body: ChatBody, fullText: string): BuiltReply {
  let text = fullText;
  const stops = typeof body.stop === 'string' ? [body.stop] : (body.stop ?? []);
  for (const s of stops) {
    const at = s ? text.indexOf(s) : -1;
    if (at !== -1) text = text.slice(0, at);
  }
  let tokens = tokenize(text);
  let finishReason: BuiltReply['finishReason'] = 'stop';
  if (body.max_tokens !== undefined && tokens.length > body.max_tokens) {
    tokens = tokens.slice(0, body.max_tokens);
    finishReason = 'length';
  }
  text = tokens.join('');
  const top = Math.min(body.top_logprobs ?? 0, 20);
  const promptTokens = body.messages.reduce((n, m) => n + tokenize(m.content).length, 0);
  const usage = { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: promptTokens + tokens.length };
  const model = body.model ?? 'test-model';
  const head = { id: 'chatcmpl-test', created: 0, model };
  const logprobs = body.logprobs ? { content: tokens.map((t, i) => logprobEntry(t, i, top)) } : null;

  const completion = {
    ...head,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs, finish_reason: finishReason }],
    usage,
  };
  const chunk = (choice: Record<string, unknown>) => ({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, ...choice }] });
  const chunks: Record<string, unknown>[] = [
    chunk({ delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }),
    ...tokens.map((t, i) => chunk({ delta: { content: t }, logprobs: body.logprobs ? { content: [logprobEntry(t, i, top)] } : null, finish_reason: null })),
    chunk({ delta: {}, logprobs: null, finish_reason: finishReason }),
  ];
  if (body.stream_options?.include_usage) chunks.push({ ...head, object: 'chat.completion.chunk', choices: [], usage });
  return { completion, chunks, text, finishReason };
}
