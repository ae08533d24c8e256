import { posix } from 'node:path';

/** WORKDIR semantics: relative paths are joined to the current WORKDIR; the result is clean and absolute. */
export function normalizeWorkdir(current: string, next: string): string {
  const joined = next.startsWith('/') ? next : posix.join(current === '' ? '/' : current, next);
  return posix.normalize(joined).replace(/(.)\/+$/, '$1') || '/';
}

/** The destination of COPY/ADD relative to WORKDIR, keeping a trailing slash (it means "into"). */
export function resolveDest(workdir: string, dest: string): string {
  const trailing = dest.endsWith('/') || dest === '.' || dest.endsWith('/.') || dest === '';
  let p = dest.startsWith('/') ? dest : posix.join(workdir || '/', dest === '' ? '.' : dest);
  p = posix.normalize(p);
  if (trailing && !p.endsWith('/')) p += '/';
  return p;
}
