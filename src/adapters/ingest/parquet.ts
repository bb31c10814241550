/**
 * Parquet rows through hyparquet, one row group at a time and only the text column, so a large
 * file never decodes whole. The file is read by byte ranges straight from the `File`.
 */
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from 'hyparquet';
import { AbortedError } from '../../core/errors.ts';
import type { Issue } from '../../core/result.ts';
import { noTextField, pickTextField } from '../../core/corpus/tabular.ts';

export function blobBuffer(file: Blob): AsyncBuffer {
  return { byteLength: file.size, slice: (start: number, end?: number) => file.slice(start, end).arrayBuffer() };
}

/**
 * Calls `onRow` for every row's text (1-based row numbers); returns an issue instead when the file
 * has no usable text column.
 */
export async function readParquetRows(
  file: Blob,
  onRow: (row: number, text: string) => void,
  opts: { field?: string; signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<{ rows: number; field: string } | { issue: Issue }> {
  const buffer = blobBuffer(file);
  const metadata = await parquetMetadataAsync(buffer);
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const field = pickTextField(columns, opts.field);
  if (field === undefined) return { issue: noTextField(columns, opts.field) };
  let rowStart = 0;
  let bytes = 0;
  for (const group of metadata.row_groups) {
    if (opts.signal?.aborted) throw new AbortedError();
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file: buffer, metadata, columns: [field], rowStart, rowEnd });
    rows.forEach((r, i) => {
      const v = (r as Record<string, unknown>)[field];
      if (typeof v === 'string') onRow(rowStart + i + 1, v);
    });
    bytes += group.columns.reduce((n, c) => n + Number(c.meta_data?.total_compressed_size ?? 0), 0);
    opts.onBytes?.(Math.min(bytes, file.size));
    rowStart = rowEnd;
  }
  return { rows: rowStart, field };
}
