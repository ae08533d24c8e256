import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerfileError, lineRange } from '../errors/dockerfile-error.ts';
import { GantryError } from '../errors/gantry-error.ts';
import { StepError } from '../errors/step-error.ts';
import { formatError } from './format-error.ts';

test('a Dockerfile error shows the file, line, frame, code and hint', () => {
  const e = new DockerfileError('E_TEST', 'unknown instruction: FORM', [lineRange(2)], {
    hint: 'did you mean FROM?',
  });
  e.withSource({ name: 'app/Dockerfile', text: 'FROM a\nFORM b\n' });
  const text = formatError(e);
  assert.match(text, /app\/Dockerfile:2\n-{20}\n/);
  assert.match(text, /2 \| >>> FORM b/);
  assert.match(text, /error: app\/Dockerfile:2: unknown instruction: FORM \[E_TEST\]/);
  assert.match(text, /hint: did you mean FROM\?/);
});

test('a failing step shows the tail of its output', () => {
  const e = new StepError('E_RUN_FAILED', 'RUN exited with code 2', {
    ranges: [lineRange(1)],
    exitCode: 2,
    outputTail: ['boom'],
  });
  const text = formatError(e, { name: 'Dockerfile', text: 'RUN false\n' });
  assert.match(text, /\| boom/);
  assert.match(text, /1 \| >>> RUN false/);
});

test('causes are listed; bugs keep their stack', () => {
  const e = new GantryError('E_X', 'outer', { cause: new Error('inner') });
  assert.match(formatError(e), /caused by: inner/);
  assert.match(formatError(new TypeError('oops')), /internal error[\s\S]*TypeError: oops/);
});
