import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../errors/gantry-error.ts';
import { chainIds } from './chain-id.ts';
import { type Digest, sha256Digest } from './digest.ts';

// Digests of "a", "b", "c", and the expected chain IDs, computed with sha256sum(1):
//   printf '%s %s' "$A" "$B" | sha256sum
const A = 'sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb' as Digest;
const B = 'sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d' as Digest;
const C = 'sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6' as Digest;
const AB = 'sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676';
const ABC = 'sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106';

describe('chainId', () => {
  const cases: { name: string; diffIds: Digest[]; want: string[] }[] = [
    { name: 'no layers', diffIds: [], want: [] },
    { name: 'one layer: the chain ID is the diff ID', diffIds: [A], want: [A] },
    { name: 'two layers', diffIds: [A, B], want: [A, AB] },
    { name: 'three layers', diffIds: [A, B, C], want: [A, AB, ABC] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(chainIds(c.diffIds), c.want));
  }

  it('rejects an invalid diff ID', () => {
    assert.throws(
      () => chainIds([A, 'sha256:xyz' as Digest]),
      (e) => isGantryError(e, 'E_DIGEST_INVALID'),
    );
  });

  it('chain IDs of a prefix are the prefix of the chain IDs; order matters', () => {
    const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => sha256Digest(hex));
    fc.assert(
      fc.property(fc.array(digest, { maxLength: 8 }), fc.nat(8), (ids, k) => {
        const all = chainIds(ids);
        assert.equal(all.length, ids.length);
        assert.deepEqual(chainIds(ids.slice(0, k)), all.slice(0, k));
        if (ids.length >= 2 && ids[0] !== ids[1]) {
          assert.notEqual(chainIds([ids[1]!, ids[0]!])[1], all[1]);
        }
      }),
    );
  });
});
