import { posix } from 'node:path';

export interface DestPath {
  /** Absolute, cleaned, without a trailing '/' (except the root itself). */
  path: string;
  /** The destination named a directory: it ended in '/' (or was '', '.', './'). */
  isDirSyntax: boolean;
}

/**
 * BuildKit's pathRelativeToWorkingDir: an absolute dest is cleaned; '' and '.' mean the working
 * directory as a directory; a relative dest is joined to WORKDIR. A trailing '/' is kept as
 * "this is a directory".
 */
export function destPathFor(dest: string, workdir: string): DestPath {
  let p = dest;
  if (!p.startsWith('/')) {
    if (p === '' || p === '.') p = './';
    p = posix.join(posix.join('/', workdir === '' ? '/' : workdir), p);
  }
  const endsWithSlash = dest.endsWith('/') || p.endsWith('/') || dest === '' || dest === '.';
  const clean = posix.normalize(`/${p}`).replace(/\/+$/, '');
  return { path: clean === '' ? '/' : clean, isDirSyntax: endsWithSlash || clean === '' };
}

/** A cleaned absolute path inside a root: '..' stops at '/', as BuildKit confines sources. */
export function confine(p: string): string {
  const clean = posix.normalize(`/${p}`).replace(/\/+$/, '');
  return clean === '' ? '/' : clean;
}

/** '/a/b' → 'a/b'; '/' → ''. */
export function relOf(abs: string): string {
  return abs.replace(/^\/+/, '');
}
