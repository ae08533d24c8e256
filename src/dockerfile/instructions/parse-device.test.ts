import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../../errors/gantry-error.ts';
import { parseDevice } from './parse-device.ts';

describe('parseDevice', () => {
  const ok: [string, string, boolean][] = [
    ['vendor.com/gpu', 'vendor.com/gpu', false],
    ['vendor.com/gpu=all,required', 'vendor.com/gpu=all', true],
    ['vendor.com/gpu=all,required=false', 'vendor.com/gpu=all', false],
    ['vendor.com/gpu=all,REQUIRED=1', 'vendor.com/gpu=all', true],
    ['name=vendor.com/gpu=all', 'vendor.com/gpu=all', false],
    ['required,name=a', 'a', true],
    ['"a,b"', 'a,b', false],
  ];
  for (const [input, name, required] of ok) {
    it(input, () => assert.deepEqual(parseDevice(input), { name, required }));
  }
  const bad: [string, string][] = [
    ['a,b', "invalid field 'b' must be a key=value pair"],
    ['a,name=b', 'device name already set to a'],
    ['a,required=maybe', 'invalid value for required: maybe'],
    ['a,nme=b', "unexpected key 'nme' in 'nme=b' (did you mean name?)"],
    ['', 'failed to parse csv devices: EOF'],
    ['a"b', 'failed to parse csv devices: parse error on line 1, column 2: bare " in non-quoted-field'],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseDevice(input),
        (e) => isGantryError(e, 'E_DOCKERFILE_DEVICE') && e.message === message,
      );
    });
  }
});
