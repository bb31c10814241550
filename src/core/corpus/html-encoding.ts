export function* decodeHtmlBytes(bytes: Uint8Array, pieceBytes = 64 * 1024): Generator<string> {
  const d = new TextDecoder();
  for (let i = 0; i < bytes.length; i += pieceBytes) yield d.decode(bytes.subarray(i, i + pieceBytes), { stream: true });
  yield d.decode();
}
