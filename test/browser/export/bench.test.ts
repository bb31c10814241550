/** Keeps the export benchmark runnable: a small run through the same code `npm run bench -- --filter export` uses. */
import { expect, it } from 'vitest';
import exportBench from '../../bench/browser/export.ts';

it('export bench runs end to end on 3,000 pairs and writes the kept 2 in 5', async () => {
  const figures = await exportBench({ count: 3000 });
  expect(figures.map((f) => f.name)).toEqual([
    'export.file.3000.seconds', 'export.file.MB_per_s', 'export.file.rows_per_s', 'export.file.lines_per_s', 'export.file.first_write_ms',
    'export.file.heap_peak_over_start_MB', 'export.download.MB_per_s', 'export.download.heap_peak_over_start_MB', 'export.output_MB',
  ]);
  expect(figures.at(-1)?.unit).toBe('MB in 1,200 lines');
  expect(figures.every((f) => Number.isFinite(f.value) && f.value >= 0)).toBe(true);
});
