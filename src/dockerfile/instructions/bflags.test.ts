import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../../errors/gantry-error.ts';
import { type FlagSpec, parseFlags } from './bflags.ts';

const specs: FlagSpec[] = [
  { name: 'str', type: 'string', default: 'def' },
  { name: 'b', type: 'bool' },
  { name: 'list', type: 'strings' },
  { name: 'chown', type: 'string' },
];

describe('parseFlags', () => {
  it('returns defaults when no flag is given', () => {
    const f = parseFlags([], specs);
    assert.equal(f.string('str'), 'def');
    assert.equal(f.bool('b'), false);
    assert.deepEqual(f.strings('list'), []);
    assert.deepEqual(f.used(), []);
    assert.equal(f.isUsed('str'), false);
  });

  const ok: [string, string[], (f: ReturnType<typeof parseFlags>) => unknown, unknown][] = [
    ['string value', ['--str=x'], (f) => f.string('str'), 'x'],
    ['empty string value', ['--str='], (f) => f.string('str'), ''],
    ['value keeps later =', ['--str=a=b'], (f) => f.string('str'), 'a=b'],
    ['bare bool', ['--b'], (f) => f.bool('b'), true],
    ['bool=TRUE', ['--b=TRUE'], (f) => f.bool('b'), true],
    ['bool=false', ['--b=false'], (f) => f.bool('b'), false],
    ['repeated strings', ['--list=a', '--list=b'], (f) => f.strings('list'), ['a', 'b']],
    ['-- stops parsing', ['--str=x', '--', '--nope'], (f) => f.string('str'), 'x'],
    ['used in first-seen order', ['--list=a', '--b', '--list=c'], (f) => f.used(), ['list', 'b']],
    ['default value still counts as used', ['--str=def'], (f) => f.isUsed('str'), true],
  ];
  for (const [name, args, get, want] of ok) {
    it(name, () => assert.deepEqual(get(parseFlags(args, specs)), want));
  }

  const bad: [string, string[], string][] = [
    ['string without =', ['--str'], 'missing a value on flag: --str'],
    ['strings without =', ['--list'], 'missing a value on flag: --list'],
    ['bool with empty value', ['--b='], 'missing a value on flag: --b'],
    ['bool with other value', ['--b=yes'], 'expecting boolean value for flag --b, not: yes'],
    ['repeated single flag', ['--str=a', '--str=b'], 'duplicate flag specified: --str'],
    ['unknown flag', ['--nope'], 'unknown flag: --nope'],
    ['unknown flag close to a known one', ['--chowm=1'], 'unknown flag: --chowm (did you mean chown?)'],
    ['word without dashes', ['-x'], 'arg should start with -- : -x'],
  ];
  for (const [name, args, message] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => parseFlags(args, specs),
        (e) => isGantryError(e, 'E_DOCKERFILE_FLAG') && e.message === message,
      );
    });
  }

  it('treats a duplicate declaration as a bug', () => {
    assert.throws(
      () =>
        parseFlags(
          [],
          [
            { name: 'a', type: 'bool' },
            { name: 'a', type: 'bool' },
          ],
        ),
      /Duplicate flag defined: a/,
    );
  });
});
