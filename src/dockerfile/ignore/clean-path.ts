/**
 * Go's `path/filepath.Clean` and `filepath.Dir` for '/'-separated paths (Unix rules):
 * repeated slashes collapse, `.` elements go, `x/..` pairs cancel, `..` at the root goes,
 * a trailing slash goes, and the empty result is `.`.
 */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  let leadingDotDots = 0;
  for (const elem of path.split('/')) {
    if (elem === '' || elem === '.') continue;
    if (elem === '..') {
      if (out.length > leadingDotDots) out.pop();
      else if (!rooted) {
        out.push('..');
        leadingDotDots++;
      }
      continue;
    }
    out.push(elem);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Go's `filepath.Dir`: everything before the last '/', cleaned (`.` when there is no '/'). */
export function dirPath(path: string): string {
  const i = path.lastIndexOf('/');
  return cleanPath(path.slice(0, i + 1));
}
