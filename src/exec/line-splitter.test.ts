import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createLineSplitter } from './line-splitter.ts';

function split(chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const s = createLineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(c);
  s.end();
  return lines;
}

test('lines, CRLF, a last line without newline', () => {
  assert.deepEqual(split([Buffer.from('a\r\nb\n\nc')]), ['a', 'b', '', 'c']);
  assert.deepEqual(split([Buffer.from('x\n')]), ['x']);
  assert.deepEqual(split([]), []);
});

test('property: any chunking of the bytes gives the same lines, multi-byte characters kept whole', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('a', 'é', '€', '😀', '\n', ' ')),
      fc.array(fc.nat(), { maxLength: 10 }),
      (chars, cuts) => {
        const bytes = Buffer.from(chars.join(''));
        const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
          (a, b) => a - b,
        );
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        assert.deepEqual(split(chunks), split([bytes]));
        const text = chars.join('');
        const want = text === '' ? [] : text.split('\n');
        if (text.endsWith('\n')) want.pop();
        assert.deepEqual(split([bytes]), want);
      },
    ),
  );
});
