/** `text` gzipped by the browser's own CompressionStream, as a user's .gz file would be. */
export async function gzip(text: string): Promise<Blob> {
  return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
}
