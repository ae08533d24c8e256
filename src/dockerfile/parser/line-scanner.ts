import { utf8Length } from '../go-strings.ts';

/** Go's `bufio.MaxScanTokenSize`: a physical line must be shorter than this many bytes. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface LineScanner {
  /** The next physical line with its `\n` kept; undefined at the end or at a too-long line. */
  next(): string | undefined;
  /** True once a line of MAX_LINE_BYTES or more stopped the scan (BuildKit's ErrTooLong). */
  readonly tooLong: boolean;
}

/** Splits text into lines as BuildKit's scanner does (on `\n` only, endings kept, size-limited). */
export function createLineScanner(text: string): LineScanner {
  let pos = 0;
  let tooLong = false;
  return {
    get tooLong() {
      return tooLong;
    },
    next() {
      if (pos >= text.length) return undefined;
      const nl = text.indexOf('\n', pos);
      const contentEnd = nl < 0 ? text.length : nl;
      const units = contentEnd - pos;
      if (units * 3 >= MAX_LINE_BYTES && utf8Length(text, pos, contentEnd) >= MAX_LINE_BYTES) {
        tooLong = true;
        pos = text.length;
        return undefined;
      }
      const end = nl < 0 ? text.length : nl + 1;
      const line = text.slice(pos, end);
      pos = end;
      return line;
    },
  };
}
