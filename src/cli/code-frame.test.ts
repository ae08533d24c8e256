import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeFrame } from './code-frame.ts';

const source = { name: 'Dockerfile', text: 'FROM a\nRUN one\nRUN two\nRUN three\nCOPY x y\nCMD z\n' };

test('marks the failing line with its neighbours', () => {
  const frame = codeFrame(source, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } });
  assert.equal(
    frame,
    [
      'Dockerfile:3',
      '-'.repeat(20),
      '  1 |     FROM a',
      '  2 |     RUN one',
      '  3 | >>> RUN two',
      '  4 |     RUN three',
      '  5 |     COPY x y',
      '-'.repeat(20),
    ].join('\n'),
  );
});

test('puts a caret under the column when one is known', () => {
  const frame = codeFrame(source, { start: { line: 5, character: 5 }, end: { line: 5, character: 6 } }, 0);
  assert.deepEqual(frame.split('\n').slice(2, 4), ['  5 | >>> COPY x y', '    |          ^']);
});

test('names a multi-line range by its first and last line', () => {
  const frame = codeFrame(source, { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, 0);
  assert.equal(frame.split('\n')[0], 'Dockerfile:2-3');
  assert.equal(frame.split('\n').filter((l) => l.includes('>>>')).length, 2);
});
