import { GantryError } from '../../errors/index.ts';
import { goTrimSpace } from '../go-strings.ts';
import { cleanPath } from './clean-path.ts';

/**
 * bufio.Scanner's buffer is at most 64 KiB: a line (raw bytes, `\r` and a first-line BOM
 * included) must leave room for its `\n`, so 65,535 bytes is the longest Docker reads.
 */
const MAX_LINE_BYTES = 64 * 1024 - 1;

/**
 * The `.dockerignore` reader (moby/patternmatcher `ignorefile.ReadAll`): text → patterns.
 * - `null` (no file) gives no patterns.
 * - A UTF-8 BOM at the start is dropped; lines split on `\n` with one trailing `\r` removed.
 * - A line whose first character is `#` is a comment (checked before trimming).
 * - Lines are trimmed (Go `TrimSpace`); empty ones are dropped.
 * - A leading `!` is split off and the rest trimmed again; a non-empty rest is cleaned
 *   (Go `filepath.Clean`) and one leading `/` removed unless the pattern is just `/`.
 *   A lone `!` is kept here; `newPatternMatcher` rejects it.
 * Throws E_IGNORE_LINE_TOO_LONG for a line over 64 KiB, as Docker's reader does.
 */
export function readIgnoreFile(text: string | null): string[] {
  if (text === null) return [];
  const patterns: string[] = [];
  for (const [index, raw] of splitLines(text).entries()) {
    if (Buffer.byteLength(raw, 'utf8') > MAX_LINE_BYTES) {
      throw new GantryError('E_IGNORE_LINE_TOO_LONG', `.dockerignore line ${index + 1} is 64 KiB or longer`, {
        hint: 'Shorten the pattern (a `**` can stand for a long path); Docker rejects such a file too.',
      });
    }
    const noCR = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const line = index === 0 && noCR.startsWith('\ufeff') ? noCR.slice(1) : noCR;
    if (line.startsWith('#')) continue;
    let pattern = goTrimSpace(line);
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = goTrimSpace(pattern.slice(1));
    if (pattern !== '') {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? '!' + pattern : pattern);
  }
  return patterns;
}

/** bufio.ScanLines without the `\r` removal: split on `\n`, no empty token after a final newline. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
