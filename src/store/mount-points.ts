import { readFile, realpath } from 'node:fs/promises';
import { sep } from 'node:path';

/**
 * Mount points at or below `dir` (from /proc/self/mountinfo), so that nothing removes a tree
 * with a file system still mounted inside it (an overlay or bind mount left by a crashed
 * build). Returns [] where /proc is not available.
 */
export async function mountPointsUnder(dir: string): Promise<string[]> {
  let info: string;
  try {
    info = await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const base = await realpath(dir);
  const found: string[] = [];
  for (const line of info.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    const point = unescapeMountPath(field);
    if (point === base || point.startsWith(base.endsWith(sep) ? base : base + sep)) found.push(point);
  }
  return found.sort();
}

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes (\040 ...). */
export function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}
