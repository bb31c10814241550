/**
 * Server-sent events, the framing of streamed chat completions (`data: {...}\n\n`, then
 * `data: [DONE]`). Network reads cut the stream anywhere — mid-line, between `\r` and `\n`,
 * mid-JSON — so the parser keeps the unfinished tail and only hands out complete events.
 * Decode bytes with `TextDecoder(..., { stream: true })` first: that joins split UTF-8 characters.
 * Only the `data` field matters here; `event`, `id`, `retry` and `:` comment lines are skipped.
 */

export interface SseParser {
  /** Feeds decoded text; returns the `data` of every event completed by it, in order. */
  push(text: string): string[];
  /** The stream ended: returns the last event if the server omitted its closing blank line. */
  end(): string[];
}

/** The sentinel OpenAI-compatible servers send after the last chunk. */
export const SSE_DONE = '[DONE]';

export function createSseParser(): SseParser {
  let tail = '';
  let data: string[] = [];
  let hasData = false;
  // A chunk ending in '\r' may be half of '\r\n': the '\n' that follows must not end a second line.
  let skipLeadingLf = false;

  const takeLine = (line: string, out: string[]): void => {
    if (line === '') {
      if (hasData) out.push(data.join('\n'));
      data = [];
      hasData = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    data.push(value);
    hasData = true;
  };

  return {
    push(text) {
      const out: string[] = [];
      let s = text;
      if (skipLeadingLf && s.startsWith('\n')) s = s.slice(1);
      skipLeadingLf = false;
      let buf = tail + s;
      let start = 0;
      for (let i = 0; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        takeLine(buf.slice(start, i), out);
        if (c === 13) {
          if (i + 1 < buf.length) {
            if (buf.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
      buf = buf.slice(start);
      tail = buf;
      return out;
    },
    end() {
      const out: string[] = [];
      if (tail !== '') takeLine(tail, out);
      tail = '';
      takeLine('', out);
      return out;
    },
  };
}
