import { readFile } from 'node:fs/promises';

/** Decodes the octal escapes (\040 for space, ...) of /proc/mounts fields. */
function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Mount points listed in `mountsText` (/proc/self/mounts) at or below `dir`. */
export function mountPointsUnder(mountsText: string, dir: string): string[] {
  const base = dir.replace(/\/+$/, '');
  return mountsText
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((p): p is string => p !== undefined)
    .map(unescapeMountField)
    .filter((p) => p === base || p.startsWith(`${base}/`));
}

/** Mount points of this mount namespace at or below `dir`. */
export async function mountsUnder(dir: string): Promise<string[]> {
  return mountPointsUnder(await readFile('/proc/self/mounts', 'utf8'), dir);
}
