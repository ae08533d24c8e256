import { StringDecoder } from 'node:string_decoder';

/**
 * Turns chunks of a byte stream into complete lines (without "\n", and without a "\r" right
 * before it). UTF-8 characters split across chunks are kept whole. `end()` flushes a last
 * line that had no newline.
 */
export function createLineSplitter(onLine: (line: string) => void): {
  push(chunk: Buffer): void;
  end(): void;
} {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  function emit(text: string): void {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
  }
  return {
    push(chunk) {
      emit(decoder.write(chunk));
    },
    end() {
      emit(decoder.end());
      if (partial !== '') {
        const last = partial;
        partial = '';
        onLine(last);
      }
    },
  };
}
