/**
 * API keys must never reach an export, a bundle, a log line or an error message (one public
 * Humpback implementation hard-coded its key). Everything that leaves the trainer adapters — an
 * error built from a response body, a log line the service sent back, a job record — goes
 * through `redact` first: the known secrets are replaced wherever they appear, and so is
 * anything shaped like a key or a credential field, in case a service echoes one we never saw.
 */

export const REDACTED = '[redacted]';

/** Field names whose values are credentials whatever they contain. */
const SECRET_FIELD = /^(api[-_]?key|apikey|authorization|token|access[-_]?token|secret|password|x-api-key)$/i;

/** Things that look like keys: OpenAI-style sk-…, Hugging Face hf_…, bearer tokens. */
const KEY_SHAPES: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\bhf_[A-Za-z0-9]{12,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

/** Secrets shorter than this are not searched for (they would blank out ordinary words). */
const MIN_SECRET_LENGTH = 6;

function redactString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= MIN_SECRET_LENGTH) out = out.split(s).join(REDACTED);
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (m) => (/^(bearer|basic)\s/i.test(m) ? `${m.split(/\s+/)[0]} ${REDACTED}` : REDACTED));
  }
  return out;
}

/**
 * A copy of `value` with every known secret and every key-shaped string replaced. Works on
 * strings, arrays and plain objects (any depth); other values come back as they are.
 */
export function redact<T>(value: T, secrets: readonly string[] = []): T {
  return walk(value, secrets, new WeakMap()) as T;
}

function walk(value: unknown, secrets: readonly string[], seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(walk(v, secrets, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && typeof v === 'string' && v !== '' ? REDACTED : walk(v, secrets, seen);
  }
  return out;
}

/** True when `text` still contains one of the secrets (for tests and last-line checks before saving). */
export function containsSecret(text: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => s.length >= MIN_SECRET_LENGTH && text.includes(s));
}
