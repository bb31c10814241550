/**
 * Finding dropped files again after a reload. A `File` from a drop dies with the page; a File
 * System Access handle (Chromium) can be kept in IndexedDB and read again once the user allows
 * it. The corpus keeps a handle for each dropped file or folder (a "root"). After a reload it
 * looks up the files it had not finished by their paths under those roots.
 *
 * Reading a handle from an earlier visit needs the user's permission again. Asking for it needs
 * a click (transient user activation), so `findAgain` runs from a button. One prompt per root
 * covers every file under it: a dropped folder of 10,000 files is one question.
 */
import type { PickedFile } from './file-drop.ts';

/** A dropped file or folder: its path (its name: the first part of its files' paths) and its handle. */
export interface FileRoot {
  path: string;
  handle: FileSystemHandle;
}

/** A file that could not be found again, and why, in words that say what to do. */
export interface LostFile {
  path: string;
  reason: string;
  /** Whether asking again can help (a permission not given yet), or the file must be dropped again. */
  askAgain: boolean;
}

const ASK = 'press "Read the waiting files" and allow it';

/** Chromium's permission methods on a handle (File System Access; not in TypeScript's DOM types). */
interface PermissionMethods {
  queryPermission?: (options: { mode: 'read' }) => Promise<PermissionState>;
  requestPermission?: (options: { mode: 'read' }) => Promise<PermissionState>;
}

/**
 * The root that holds `path` and the path's parts below it; null when no root does. `roots` is
 * keyed by root path; a root is a top-level dropped item, so its path has no "/" and one lookup
 * each for the path and its first part finds it (the file list asks this of every file).
 */
export function rootOf(roots: ReadonlyMap<string, FileRoot>, path: string): { root: FileRoot; rest: string[] } | null {
  const file = roots.get(path);
  if (file?.handle.kind === 'file') return { root: file, rest: [] };
  const slash = path.indexOf('/');
  const dir = slash > 0 ? roots.get(path.slice(0, slash)) : undefined;
  if (dir?.handle.kind === 'directory') return { root: dir, rest: path.slice(slash + 1).split('/') };
  return null;
}

/**
 * Asks to read `root` again: granted at once if this page already may, otherwise the browser
 * asks the user (which only works during a click). Returns why not, or null when granted.
 */
async function mayRead(root: FileRoot): Promise<Omit<LostFile, 'path'> | null> {
  const handle = root.handle as FileSystemHandle & PermissionMethods;
  try {
    if (!handle.queryPermission || (await handle.queryPermission({ mode: 'read' })) === 'granted') return null;
    if (handle.requestPermission && (await handle.requestPermission({ mode: 'read' })) === 'granted') return null;
    return { reason: `reading "${root.path}" again was not allowed; ${ASK}, or drop it again`, askAgain: true };
  } catch (err) {
    // Chromium refuses a second prompt without a fresh click (SecurityError).
    if (err instanceof DOMException && err.name === 'SecurityError') return { reason: `the browser needs another click to ask about "${root.path}"; ${ASK}`, askAgain: true };
    return { reason: `reading "${root.path}" again was not possible (${err instanceof Error ? err.message : String(err)}); drop it again`, askAgain: false };
  }
}

/** The file at `rest` under `root`, or why it is not there. `dirs` keeps folders already opened, by path. */
async function fileAt(root: FileRoot, rest: readonly string[], dirs: Map<string, Promise<FileSystemDirectoryHandle>>): Promise<File | Omit<LostFile, 'path'>> {
  try {
    let handle: FileSystemHandle = root.handle;
    let path = root.path;
    for (const part of rest.slice(0, -1)) {
      const parent = handle as FileSystemDirectoryHandle;
      path += `/${part}`;
      let dir = dirs.get(path);
      if (!dir) dirs.set(path, (dir = parent.getDirectoryHandle(part)));
      handle = await dir;
    }
    const last = rest[rest.length - 1];
    if (last !== undefined) handle = await (handle as FileSystemDirectoryHandle).getFileHandle(last);
    return await (handle as FileSystemFileHandle).getFile();
  } catch (err) {
    const name = err instanceof DOMException ? err.name : '';
    const where = root.handle.kind === 'directory' ? ` in "${root.path}"` : '';
    if (name === 'NotFoundError' || name === 'TypeMismatchError') return { reason: `it is no longer${where} on disk; drop it again to read it`, askAgain: false };
    if (name === 'NotAllowedError') return { reason: `reading it was not allowed; ${ASK}, or drop it again`, askAgain: true };
    return { reason: `it could not be opened (${err instanceof Error ? err.message : String(err)}); drop it again to read it`, askAgain: false };
  }
}

/**
 * Looks up `paths` under `roots`, asking for permission once per root that holds any of them.
 * Every path comes back either found (with its root) or lost with a reason.
 */
export async function findAgain(roots: ReadonlyMap<string, FileRoot>, paths: readonly string[]): Promise<{ found: PickedFile[]; lost: LostFile[] }> {
  const found: PickedFile[] = [];
  const lost: LostFile[] = [];
  const refused = new Map<FileRoot, Omit<LostFile, 'path'> | null>();
  const dirs = new Map<string, Promise<FileSystemDirectoryHandle>>();
  for (const path of paths) {
    const at = rootOf(roots, path);
    if (!at) {
      lost.push({ path, reason: 'this browser kept no way to find it; drop it again to read it', askAgain: false });
      continue;
    }
    if (!refused.has(at.root)) refused.set(at.root, await mayRead(at.root));
    const denied = refused.get(at.root);
    if (denied) {
      lost.push({ path, ...denied });
      continue;
    }
    const file = await fileAt(at.root, at.rest, dirs);
    if (file instanceof File) found.push({ file, path, root: at.root });
    else lost.push({ path, ...file });
  }
  return { found, lost };
}
