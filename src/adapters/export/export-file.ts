/**
 * Runs an export from a project store into a save target (a picked file or a download) and
 * writes its dataset card the same way. The walk itself is core's `writeExport`; this file
 * only binds it to a WritableStream, with backpressure (each write waits for the stream) and
 * clean-up: a failed or cancelled export aborts the stream, so a picked file is not left
 * half-written under the user's chosen name (the File System Access API discards the swap file).
 */
import { datasetCard, type CardInput } from '../../core/export/card.ts';
import type { CuratedSet } from '../../core/curation/curated-set.ts';
import { writeExport, type ExportChoice, type ExportControl, type ExportReport } from '../../core/export/stream.ts';
import { ExportWriteError, openSaveTarget, type SaveTarget } from './save-target.ts';
import type { ProjectStore } from '../../ports/store.ts';

export const JSONL_TYPE = 'application/jsonl';
export const MARKDOWN_TYPE = 'text/markdown';

/** Writes the export into `target.stream` and closes it; on failure aborts it and rethrows. */
export async function exportToTarget(
  store: ProjectStore,
  set: CuratedSet,
  choice: ExportChoice,
  target: SaveTarget,
  control: ExportControl = {},
): Promise<ExportReport> {
  const writer = target.stream.getWriter();
  const write = async (bytes: Uint8Array): Promise<void> => {
    await writer.ready;
    await writer.write(bytes);
  };
  let report: ExportReport;
  try {
    report = await writeExport(store, set, choice, write, control);
  } catch (err) {
    await writer.abort(err).catch(() => undefined);
    throw err;
  }
  try {
    await writer.close();
  } catch (err) {
    throw new ExportWriteError(`closing "${target.name}" failed: ${(err as Error).message}`, { cause: err });
  }
  return report;
}

/** Writes a small text file (the dataset card) to a target. */
export async function writeTextToTarget(text: string, target: SaveTarget): Promise<void> {
  const writer = target.stream.getWriter();
  try {
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  } catch (err) {
    await writer.abort(err).catch(() => undefined);
    throw new ExportWriteError(`writing "${target.name}" failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Saves the card for a finished export as README.md (picker or download). */
export async function saveDatasetCard(input: CardInput, open: typeof openSaveTarget = openSaveTarget): Promise<void> {
  const target = await open('README.md', MARKDOWN_TYPE);
  await writeTextToTarget(datasetCard(input), target);
}
