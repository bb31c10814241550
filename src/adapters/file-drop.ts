/**
 * Files from a drop or a picker, with their paths inside dropped folders.
 * `DataTransferItem.webkitGetAsEntry()` is the only way to walk a dropped folder in every
 * browser; a directory reader returns entries in batches (about 100 in Chromium) and must be
 * called until it returns none. The items must be read synchronously inside the drop event,
 * before any await, or the browser empties the DataTransfer.
 *
 * Where the browser offers it (Chromium's `getAsFileSystemHandle`), each dropped file or folder
 * also comes with a handle: unlike a `File`, a handle can be kept in IndexedDB, so the files can
 * be found again after a reload (see file-roots.ts).
 */
import type { FileRoot } from './file-roots.ts';

export interface PickedFile {
  file: File;
  /** Path inside the dropped folder (`docs/ch01.html`), or the file name. */
  path: string;
  /** The dropped file or folder this file came from, when the browser gave a handle for it. */
  root?: FileRoot;
}

/** Chromium's extension of `DataTransferItem` (File System Access; not in TypeScript's DOM types). */
interface HandleItem {
  getAsFileSystemHandle?: () => Promise<FileSystemHandle | null>;
}

export async function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  const handles: Promise<FileSystemHandle | null>[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    handles.push(handleOf(item));
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (entries.length === 0 && loose.length === 0) return Array.from(dt.files, (file) => ({ file, path: file.name }));
  // Top-level names are the paths' first parts, so each file finds its root by name.
  const roots = new Map<string, FileRoot>();
  for (const h of await Promise.all(handles)) if (h) roots.set(h.name, { path: h.name, handle: h });
  const out: PickedFile[] = loose.map((file) => withRoot({ file, path: file.name }, roots.get(file.name)));
  for (const e of entries) {
    const root = roots.get(e.name);
    for (const f of await walk(e, '')) out.push(withRoot(f, root));
  }
  return out;
}

export function filesFromInput(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** The item's handle, asked for synchronously; null where the browser has none to give. */
function handleOf(item: DataTransferItem): Promise<FileSystemHandle | null> {
  const ask = (item as DataTransferItem & HandleItem).getAsFileSystemHandle;
  if (typeof ask !== 'function') return Promise.resolve(null);
  try {
    return ask.call(item).catch(() => null);
  } catch {
    return Promise.resolve(null);
  }
}

function withRoot(f: PickedFile, root: FileRoot | undefined): PickedFile {
  return root ? { ...f, root } : f;
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
