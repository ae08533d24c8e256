import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../../errors/gantry-error.ts';
import { chmodApply, createdDirMode, parseChmod } from './parse-chmod.ts';

// [spec, start mode, isDir, expected] — expectations computed with GNU chmod semantics (umask 0).
const symbolic: [string, number, boolean, number][] = [
  ['go-w', 0o666, false, 0o644],
  ['u=rw,g=r,o=r', 0o666, false, 0o644],
  ['a+X', 0o666, false, 0o666],
  ['a+X', 0o644, false, 0o644],
  ['a+X', 0o744, false, 0o755],
  ['a+X', 0o124, true, 0o135],
  ['go-w', 0o124, true, 0o104],
  ['u+rw,g+r,o-x,o+w', 0o124, true, 0o766],
  ['u+x', 0o644, false, 0o744],
  ['+x', 0o644, false, 0o755],
  ['=r', 0o777, false, 0o444],
  ['go=', 0o777, false, 0o700],
  ['go=u-w', 0o755, false, 0o755],
  ['go=u-w', 0o700, false, 0o755],
  ['u=rwx,go=rx', 0o000, false, 0o755],
  ['u+s', 0o755, false, 0o4755],
  ['g+s', 0o755, true, 0o2755],
  ['o+s', 0o755, false, 0o755],
  ['+t', 0o755, true, 0o1755],
  ['o+t', 0o755, true, 0o755],
  ['a-x', 0o755, false, 0o644],
  ['u-X', 0o755, false, 0o655],
  ['g=u', 0o740, false, 0o770],
  ['o+g', 0o750, false, 0o755],
  ['u=', 0o4755, false, 0o055],
  ['=', 0o1755, true, 0o1000],
  ['a=rw,u+x', 0o000, false, 0o766],
  ['u+x-w', 0o644, false, 0o544],
];

for (const [spec, start, isDir, want] of symbolic) {
  test(`--chmod=${spec} on ${start.toString(8)}${isDir ? ' (dir)' : ''} → ${want.toString(8)}`, () => {
    const parsed = parseChmod(spec);
    assert.equal(parsed?.kind, 'symbolic');
    assert.equal(chmodApply(parsed, start, isDir).toString(8), want.toString(8));
  });
}

test('octal modes are taken as is and limited to 07777', () => {
  assert.deepEqual(parseChmod('0644'), { kind: 'octal', mode: 0o644 });
  assert.deepEqual(parseChmod('777'), { kind: 'octal', mode: 0o777 });
  assert.deepEqual(parseChmod('0'), { kind: 'octal', mode: 0 });
  assert.deepEqual(parseChmod('4755'), { kind: 'octal', mode: 0o4755 });
  assert.equal(chmodApply(parseChmod('0600'), 0o755, true), 0o600);
  assert.equal(parseChmod(''), undefined);
  assert.equal(parseChmod(undefined), undefined);
});

test('BuildKit error texts for bad values', () => {
  for (const bad of ['64a', '10000', '8', '0o755']) {
    assert.throws(
      () => parseChmod(bad),
      (e) =>
        isGantryError(e, 'E_COPY_INVALID_CHMOD') &&
        e.message === `invalid chmod parameter: '${bad}'. it should be octal string and between 0 and 07777`,
    );
  }
  for (const bad of ['u+q', 'x', 'u+x,', 'u', ',', 'a*x']) {
    assert.throws(
      () => parseChmod(bad),
      (e) => isGantryError(e, 'E_COPY_INVALID_CHMOD') && e.message.endsWith('invalid syntax'),
      bad,
    );
  }
});

test('created directories get 0755 or the octal mode without special bits', () => {
  assert.equal(createdDirMode(undefined), 0o755);
  assert.equal(createdDirMode(parseChmod('0770')), 0o770);
  assert.equal(createdDirMode(parseChmod('4777')), 0o777);
  assert.equal(createdDirMode(parseChmod('u+x')), 0o755);
});

test('property: a symbolic mode equal to the octal value sets exactly those bits', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0o777 }), fc.integer({ min: 0, max: 0o7777 }), (target, start) => {
      const cls = (v: number): string => `${v & 4 ? 'r' : ''}${v & 2 ? 'w' : ''}${v & 1 ? 'x' : ''}`;
      const spec = `u=${cls(target >> 6)},g=${cls((target >> 3) & 7)},o=${cls(target & 7)}`;
      const got = chmodApply(parseChmod(spec), start, false);
      // set-id bits are cleared by u= and g=; sticky is kept.
      return got === (target | (start & 0o1000));
    }),
  );
});
