import { describe, expect, it } from 'vitest';
import { containsSecret, redact } from '../../../src/core/training/redact.ts';

describe('redact', () => {
  it('replaces known secrets anywhere in strings, arrays and objects', () => {
    const key = 'my-private-trainer-token-123';
    const value = {
      message: `Incorrect API key provided: ${key}.`,
      nested: [{ note: `x${key}y` }, 3, null, true],
      headers: { Authorization: 'Bearer whatever-value-here', 'x-api-key': 'short' },
      apiKey: 'k',
    };
    expect(redact(value, [key])).toEqual({
      message: 'Incorrect API key provided: [redacted].',
      nested: [{ note: 'x[redacted]y' }, 3, null, true],
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]' },
      apiKey: '[redacted]',
    });
    expect(value.message).toContain(key); // the input is not changed
  });
  it('replaces key-shaped strings it was never told about', () => {
    expect(redact('use sk-proj-abcdefghijklmnop1234 or hf_abcdefghijklmnopq now, header Bearer abc.def.ghi-jkl'))
      .toBe('use [redacted] or [redacted] now, header Bearer [redacted]');
  });
  it('leaves ordinary text and short secrets alone', () => {
    expect(redact('a skeleton of the risk-free plan', ['abc'])).toBe('a skeleton of the risk-free plan');
    expect(containsSecret('the abc', ['abc'])).toBe(false);
    expect(containsSecret('the abcdefg', ['abcdefg'])).toBe(true);
  });
  it('copes with cycles', () => {
    const a: Record<string, unknown> = { s: 'secret-value-1' };
    a.self = a;
    const out = redact(a, ['secret-value-1']);
    expect(out.s).toBe('[redacted]');
    expect(out.self).toBe(out);
  });
});
