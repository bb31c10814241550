/**
 * PDF text through pdf.js's text layer, page by page. Lines come from the layer's end-of-line
 * marks; a vertical gap clearly larger than the line spacing starts a new paragraph, so the
 * plain-text packer sees the same paragraphs a reader does. A PDF that is only scanned images
 * has no text layer: that is reported, not ingested as nothing. The pdf.js worker script comes
 * from the installed package (Vite `?url`), never from a CDN.
 */
import * as pdfjs from 'pdfjs-dist';
import workerSrc from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { AbortedError } from '../../core/errors.ts';

pdfjs.GlobalWorkerOptions.workerSrc = workerSrc;

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

/** One page's text with paragraph breaks as blank lines. */
export function pageText(items: readonly TextItem[]): string {
  let out = '';
  let lastY: number | null = null;
  let lineHeight = 0;
  for (const item of items) {
    const y = item.transform[5] ?? 0;
    const h = item.height || Math.abs(item.transform[3] ?? 0) || 10;
    if (lastY !== null && out.length > 0 && !out.endsWith('\n')) {
      // Items on a new line without an EOL mark: treat a downward move as a line break.
      if (Math.abs(lastY - y) > h * 0.5) out += '\n';
    }
    if (lastY !== null && out.endsWith('\n') && Math.abs(lastY - y) > Math.max(lineHeight, h) * 1.8) out += '\n';
    out += item.str;
    if (item.hasEOL) out += '\n';
    if (lastY !== null && Math.abs(lastY - y) > 0) lineHeight = Math.min(Math.max(h, 1) * 1.5, Math.abs(lastY - y)) || lineHeight;
    lastY = y;
  }
  return out;
}

/** Calls `onPage` with each page's text in order; resolves to the page count and how many pages had text. */
export async function readPdfPages(
  data: ArrayBuffer,
  onPage: (page: number, text: string) => void,
  signal?: AbortSignal,
): Promise<{ pages: number; withText: number }> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data), isEvalSupported: false, useSystemFonts: false }).promise;
  let withText = 0;
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      if (signal?.aborted) throw new AbortedError();
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items = content.items.filter((i): i is TextItem & (typeof content.items)[number] => 'str' in i);
      const text = pageText(items);
      if (text.trim() !== '') withText++;
      onPage(n, text);
      page.cleanup();
    }
    return { pages: doc.numPages, withText };
  } finally {
    await doc.destroy();
  }
}
