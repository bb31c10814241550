import { describe, expect, it } from 'vitest';
import { createSseParser, SSE_DONE } from '../../../src/core/sse.ts';

/** Feeds `text` in pieces of `size` characters and collects every event. */
function parseInPieces(text: string, size: number): string[] {
  const p = createSseParser();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
  out.push(...p.end());
  return out;
}

const stream = 'data: {"a":1}\n\n: keep-alive comment\n\nevent: x\nid: 7\ndata: {"b":"two\\nlines"}\n\ndata: [DONE]\n\n';

describe('createSseParser', () => {
  it('returns the data of each event, skipping comments and other fields', () => {
    expect(parseInPieces(stream, stream.length)).toEqual(['{"a":1}', '{"b":"two\\nlines"}', SSE_DONE]);
  });

  it('gives the same events however the stream is cut', () => {
    for (const size of [1, 2, 3, 5, 7, 13]) {
      expect(parseInPieces(stream, size), `pieces of ${size}`).toEqual(['{"a":1}', '{"b":"two\\nlines"}', '[DONE]']);
    }
  });

  it('handles CRLF and lone CR line ends, including a CRLF split across pushes', () => {
    const crlf = 'data: one\r\n\r\ndata: two\r\rdata: three\n\n';
    for (const size of [1, 2, 4, crlf.length]) expect(parseInPieces(crlf, size), `pieces of ${size}`).toEqual(['one', 'two', 'three']);
    const p = createSseParser();
    expect(p.push('data: x\r')).toEqual([]);
    expect(p.push('\n\r')).toEqual(['x']);
    expect(p.push('\ndata: y\n\n')).toEqual(['y']);
  });

  it('joins multi-line data with newlines and strips one leading space only', () => {
    expect(parseInPieces('data:  a\ndata:b\ndata\n\n', 100)).toEqual([' a\nb\n']);
  });

  it('ignores blank lines with no data and hands out an event missing its final blank line at the end', () => {
    const p = createSseParser();
    expect(p.push('\n\n\ndata: last')).toEqual([]);
    expect(p.end()).toEqual(['last']);
    expect(p.end()).toEqual([]);
  });
});
