/**
 * A JSON Lines file of a given size on disk, written a few megabytes at a time (never held
 * whole): one record per line, `{"id": n, "text": note(n)}`, every text a distinct ~900-character
 * note (test/support/prose-notes.ts), so every record is one segment that passes the filters and
 * dedup — the worst case for the dedup state an ingest keeps.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { note } from '../../support/prose-notes.ts';

export function writeBigJsonl(path: string, bytes: number): { bytes: number; records: number } {
  const fd = openSync(path, 'w');
  const encoder = new TextEncoder();
  let written = 0;
  let records = 0;
  try {
    while (written < bytes) {
      const lines: string[] = [];
      let size = 0;
      while (size < 4e6 && written + size < bytes) {
        const line = `${JSON.stringify({ id: records, text: note(records) })}\n`;
        records++;
        lines.push(line);
        size += line.length; // ASCII: characters are bytes
      }
      written += writeSync(fd, encoder.encode(lines.join('')));
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written, records };
}
