/**
 * Go's `path/filepath.Clean` and `filepath.Dir` for '/'-separated paths (Unix rules):
 * repeated slashes collapse, `.` elements go, `x/..` pairs cancel, `..` at the root goes,
 * a trailing slash goes, and the empty result is `.`.
 */
export function cleanPath(path: string): string {
  if (isClean(path)) return path;
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

/** Non-empty, no `//`, no `.` or `..` element, no trailing slash (unless just `/`): the common case. */
function isClean(path: string): boolean {
  const n = path.length;
  if (n === 0) return false;
  let segStart = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && path.charCodeAt(i) !== 0x2f) continue;
    const len = i - segStart;
    if (len === 0 && i > 0) return false; // `//` or a trailing slash
    if (len === 1 && path.charCodeAt(segStart) === 0x2e) return false;
    if (len === 2 && path.charCodeAt(segStart) === 0x2e && path.charCodeAt(segStart + 1) === 0x2e)
      return false;
    segStart = i + 1;
  }
  return true;
}

/** Go's `filepath.Dir`: everything before the last '/', cleaned (`.` when there is no '/'). */
export function dirPath(path: string): string {
  const i = path.lastIndexOf('/');
  return cleanPath(path.slice(0, i + 1));
}
