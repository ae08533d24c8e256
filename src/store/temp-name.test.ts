import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempName, tempOwnerPid, tempPrefix } from './temp-name.ts';

describe('temp names', () => {
  it('carry our pid', () => {
    const name = tempName('blob');
    assert.match(name, /^blob\.\d+\.[a-f0-9]{12}$/);
    assert.equal(tempOwnerPid(name), process.pid);
    assert.notEqual(tempName('blob'), name);
  });

  const owners: { name: string; want: number | undefined }[] = [
    { name: 'blob.123.abcdef', want: 123 },
    { name: 'snapshot.42.Ab12Zz', want: 42 },
    { name: 'work-dir.7.x', want: 7 },
    { name: 'stray', want: undefined },
    { name: 'blob.0.abc', want: undefined },
    { name: 'blob.12a.abc', want: undefined },
  ];
  for (const c of owners) {
    it(`owner of ${c.name} is ${c.want}`, () => assert.equal(tempOwnerPid(c.name), c.want));
  }

  it('rejects prefixes that could escape or confuse the name', () => {
    for (const bad of ['', '../x', 'a/b', 'a.b', 'A', 'x'.repeat(33)]) {
      assert.throws(() => tempPrefix(bad), /bad temp prefix/);
    }
  });
});
