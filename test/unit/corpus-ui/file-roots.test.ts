/**
 * Which dropped file or folder a stored file path belongs to (adapters/file-roots.ts): the part
 * of finding files again after a reload that needs no browser. Reading through real handles is
 * tested in test/browser/corpus-ui/corpus-step.test.ts and the E2E reload test.
 */
import { describe, expect, it } from 'vitest';
import { rootOf, type FileRoot } from '../../../src/adapters/file-roots.ts';

/** Only `kind` and `name` of a handle are read here; the rest of a handle needs a browser. */
const root = (path: string, kind: 'file' | 'directory'): FileRoot => ({ path, handle: { kind, name: path } as FileSystemHandle });

describe('rootOf', () => {
  const roots = new Map([root('book', 'directory'), root('notes.md', 'file'), root('book.txt', 'file')].map((r) => [r.path, r]));

  it('finds a dropped folder by the first part of the path, with the parts below it', () => {
    expect(rootOf(roots, 'book/appendix/apa.en.html')).toEqual({ root: roots.get('book'), rest: ['appendix', 'apa.en.html'] });
    expect(rootOf(roots, 'book/pr01.html')?.rest).toEqual(['pr01.html']);
  });

  it('finds a dropped file by its whole path, and nothing for other paths', () => {
    expect(rootOf(roots, 'notes.md')).toEqual({ root: roots.get('notes.md'), rest: [] });
    expect(rootOf(roots, 'book.txt')?.root.handle.kind).toBe('file');
    // A file root is not a folder, a folder root is not a file, and prefixes must end at a "/".
    expect(rootOf(roots, 'notes.md/x')).toBeNull();
    expect(rootOf(roots, 'book')).toBeNull();
    expect(rootOf(roots, 'bookish/a.txt')).toBeNull();
    expect(rootOf(roots, 'other.txt')).toBeNull();
    expect(rootOf(new Map(), 'book/a.txt')).toBeNull();
  });
});
