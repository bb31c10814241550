/**
 * Writes a small valid PDF whose pages carry a real text layer (Helvetica, one Tj per line),
 * so the pdf.js path is tested on a PDF made here rather than downloaded. A page with no lines
 * has no text layer, like a scanned image.
 */
function wrap(text: string, width = 80): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);

/** `pages[i]` is the list of paragraphs on page i+1. */
export function tinyPdf(pages: string[][]): Uint8Array<ArrayBuffer> {
  const objects: string[] = [];
  const pageIds: number[] = [];
  // 1: catalog, 2: pages, 3: font; then per page: page object + content stream.
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  let next = 4;
  for (const paragraphs of pages) {
    let y = 760;
    const ops: string[] = ['BT', '/F1 10 Tf'];
    for (const p of paragraphs) {
      for (const line of wrap(p)) {
        ops.push(`1 0 0 1 50 ${y} Tm (${escape(line)}) Tj`);
        y -= 12;
      }
      y -= 12;
    }
    ops.push('ET');
    const stream = ops.join('\n');
    const pageId = next++;
    const contentId = next++;
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`;
    objects[contentId] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
    pageIds.push(pageId);
  }
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((i) => `${i} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let i = 1; i < objects.length; i++) {
    offsets[i] = out.length;
    out += `${i} 0 obj\n${objects[i]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let i = 1; i < objects.length; i++) out += `${String(offsets[i]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
