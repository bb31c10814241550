/**
 * Distinct, prose-like notes of about 900 characters for corpus tests: each is one segment under
 * the default 600–3,000 window, passes the quality filters, and no two are near-duplicates.
 * Seeded by the note's number, so every run (node or browser) writes the same corpus.
 */
const VOCAB = (
  'package manager resolver dependency upgrade release archive mirror kernel module driver firmware locale keyboard input method ' +
  'display terminal shell script variable path user group permission owner file directory mount disk partition swap boot loader ' +
  'network interface address route firewall service daemon socket timer journal log rotation backup snapshot restore checksum ' +
  'signature key trust repository source binary build patch version policy priority pin hold conflict transition library'
).split(' ');

export function note(i: number): string {
  let a = (i + 1) * 2654435761;
  const rand = () => ((a = Math.imul(a ^ (a >>> 15), 2246822507) ^ (a + 0x6d2b79f5)) >>> 0) / 4294967296;
  const sentences: string[] = [];
  while (sentences.join(' ').length < 880) {
    const words = Array.from({ length: 8 + Math.floor(rand() * 8) }, () => VOCAB[Math.floor(rand() * VOCAB.length)]);
    sentences.push(`The ${words.join(' ')}.`);
  }
  return `Note ${i}. ${sentences.join(' ')}`;
}
