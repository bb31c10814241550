/**
 * Which seed format a file is in, judged from its first rows by the fields they carry; and the
 * importer for each format. Detection votes row by row so one odd row does not decide it, and
 * answers `null` rather than guess when no row looks like any format — the UI then asks the user
 * to choose, and the user can always override a detected format.
 */
import { alpacaImporter, guanacoImporter, limaImporter, openAiChatImporter, shareGptImporter } from './chat-formats.ts';
import { oasstFlatImporter, oasstTreeImporter } from './oasst.ts';
import { isRecord, type FormatImporter, type SeedFormat, type SourceRow } from './types.ts';

/** Rows detection looks at. */
export const DETECT_ROWS = 20;

/** The format one row looks like, or null. Field names decide, most specific first. */
export function formatOfRow(value: unknown): SeedFormat | null {
  if (!isRecord(value)) return null;
  if ('message_tree_id' in value && isRecord(value.prompt)) return 'oasst-tree';
  if (isRecord(value.prompt) && 'replies' in value.prompt) return 'oasst-tree';
  if ('message_id' in value && 'role' in value && 'text' in value) return 'oasst-flat';
  if (Array.isArray(value.messages)) return 'openai-chat';
  if (Array.isArray(value.conversations)) {
    const first: unknown = value.conversations[0];
    if (typeof first === 'string') return 'lima';
    if (isRecord(first) && ('from' in first || 'value' in first)) return 'sharegpt';
    return null;
  }
  if ('instruction' in value && 'output' in value) return 'alpaca';
  if (typeof value.text === 'string' && /###\s*(?:Human|Assistant)\s*:/.test(value.text)) return 'guanaco';
  return null;
}

export interface Detection {
  /** The format most sampled rows look like, or null when none looks like any. */
  format: SeedFormat | null;
  /** Rows per format among the sampled ones. */
  votes: Partial<Record<SeedFormat, number>>;
  /** Rows looked at (parse failures included). */
  sampled: number;
}

/** Detects the format from the first rows (ties go to the format seen first). */
export function detectSeedFormat(rows: readonly SourceRow[], limit = DETECT_ROWS): Detection {
  const votes: Partial<Record<SeedFormat, number>> = {};
  const order: SeedFormat[] = [];
  const sample = rows.slice(0, limit);
  for (const r of sample) {
    if (!('value' in r)) continue;
    const f = formatOfRow(r.value);
    if (!f) continue;
    if (votes[f] === undefined) order.push(f);
    votes[f] = (votes[f] ?? 0) + 1;
  }
  let best: SeedFormat | null = null;
  for (const f of order) if (best === null || (votes[f] ?? 0) > (votes[best] ?? 0)) best = f;
  return { format: best, votes, sampled: sample.length };
}

const IMPORTERS: Record<SeedFormat, (path: string) => FormatImporter> = {
  guanaco: guanacoImporter,
  'oasst-flat': oasstFlatImporter,
  'oasst-tree': oasstTreeImporter,
  lima: limaImporter,
  alpaca: alpacaImporter,
  'openai-chat': openAiChatImporter,
  sharegpt: shareGptImporter,
};

/** A fresh importer for one file in the given format. */
export function importerFor(format: SeedFormat, path: string): FormatImporter {
  return IMPORTERS[format](path);
}
