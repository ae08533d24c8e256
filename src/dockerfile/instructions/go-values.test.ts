import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  parseCsvFields,
  parseGoBool,
  parseGoDuration,
  parseGoInt,
  parseGoUint,
  parseRamInBytes,
} from './go-values.ts';

describe('parseGoDuration', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['1ns', 1],
    ['1.5s', 1_500_000_000],
    ['1m30s', 90_000_000_000],
    ['-2h', -7_200_000_000_000],
    ['+10ms', 10_000_000],
    ['.5us', 500],
    ['3µs', 3000],
    ['1h0m0.000000001s', 3_600_000_000_001],
  ];
  for (const [s, ns] of ok) it(s, () => assert.equal(parseGoDuration(s), ns));
  const bad: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['1', 'time: missing unit in duration "1"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['.s', 'time: invalid duration ".s"'],
    ['s', 'time: invalid duration "s"'],
    ['9999999999h', 'time: invalid duration "9999999999h"'],
  ];
  for (const [s, msg] of bad)
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseGoDuration(s), { message: msg }));
  it('agrees with integer seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => parseGoDuration(`${n}s`) === n * 1e9),
    );
  });
});

describe('Go integer and bool parsers', () => {
  it('ParseBool accepts Go spellings only', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f), false);
    assert.throws(() => parseGoBool('yes'), /invalid syntax/);
  });
  it('ParseUint honours base and bit size', () => {
    assert.equal(parseGoUint('755', 8, 32), 0o755);
    assert.throws(() => parseGoUint('8', 8, 32), /invalid syntax/);
    assert.throws(() => parseGoUint('0o7', 8, 32), /invalid syntax/);
    assert.throws(() => parseGoUint('4294967296', 10, 32), /value out of range/);
    assert.equal(parseGoUint('4294967295', 10, 32), 4294967295);
  });
  it('ParseInt takes a sign and checks the range', () => {
    assert.equal(parseGoInt('-3', 32), -3);
    assert.equal(parseGoInt('+3', 32), 3);
    assert.throws(() => parseGoInt('2147483648', 32), {
      message: 'strconv.ParseInt: parsing "2147483648": value out of range',
    });
    assert.throws(() => parseGoInt('3x', 32), { message: 'strconv.ParseInt: parsing "3x": invalid syntax' });
  });
});

describe('parseRamInBytes', () => {
  const ok: [string, number][] = [
    ['512', 512],
    ['1k', 1024],
    ['64m', 64 * 1024 ** 2],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['2 MB', 2 * 1024 ** 2],
    ['10b', 10],
  ];
  for (const [s, n] of ok) it(s, () => assert.equal(parseRamInBytes(s), n));
  for (const s of ['', 'm', '-1m', '1x', '1mbb', '1bb'])
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseRamInBytes(s)));
});

describe('parseCsvFields', () => {
  const ok: [string, string[]][] = [
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a,', ['a', '']],
    ['"a,b",c', ['a,b', 'c']],
    ['"a""b"', ['a"b']],
    ['x\n', ['x']],
  ];
  for (const [s, want] of ok) it(JSON.stringify(s), () => assert.deepEqual(parseCsvFields(s), want));
  const bad: [string, string][] = [
    ['', 'EOF'],
    ['a"b', 'parse error on line 1, column 2: bare " in non-quoted-field'],
    ['"ab', 'parse error on line 1, column 2: extraneous or missing " in quoted-field'],
    ['"a"b', 'parse error on line 1, column 3: extraneous or missing " in quoted-field'],
  ];
  for (const [s, msg] of bad)
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseCsvFields(s), { message: msg }));
  it('round-trips fields without quotes or commas', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z=/.]*$/), { minLength: 1, maxLength: 5 }), (fields) => {
        fc.pre(!(fields.length === 1 && fields[0] === ''));
        assert.deepEqual(parseCsvFields(fields.join(',')), fields);
      }),
    );
  });
});
