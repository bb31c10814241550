/**
 * Files from a drop or a picker, with their paths inside dropped folders.
 * `DataTransferItem.webkitGetAsEntry()` is the only way to walk a dropped folder; a directory
 * reader returns entries in batches (about 100 in Chromium) and must be called until it
 * returns none. The items must be read synchronously inside the drop event, before any await,
 * or the browser empties the DataTransfer.
 */
export interface PickedFile {
  file: File;
  /** Path inside the dropped folder (`docs/ch01.html`), or the file name. */
  path: string;
}

export async function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (entries.length === 0 && loose.length === 0) return Array.from(dt.files, (file) => ({ file, path: file.name }));
  const out: PickedFile[] = loose.map((file) => ({ file, path: file.name }));
  for (const e of entries) out.push(...(await walk(e, '')));
  return out;
}

export function filesFromInput(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

async function walk(entry: FileSystemEntry, prefix: string): Promise<PickedFile[]> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, path }];
  }
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const out: PickedFile[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) out.push(...(await walk(child, path)));
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
