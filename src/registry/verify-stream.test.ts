import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import { type Digest, sha256Digest } from '../oci/digest.ts';
import { fakeBlobStore } from './testing/fake-blob-store.ts';
import { TruncatedError, verifyBytes, verifyStream } from './verify-stream.ts';

const data = Buffer.from('hello registry');
const digest = sha256Digest(createHash('sha256').update(data).digest('hex'));
async function* chunks(...parts: Buffer[]) {
  for (const p of parts) yield new Uint8Array(p);
}
const target = (size = data.length, d: Digest = digest) => ({
  digest: d,
  size,
  what: 'layer x of a:1',
  url: 'http://r/v2/a/blobs/x',
});

describe('verifyStream', () => {
  it('passes exact content through', async () => {
    const out: Uint8Array[] = [];
    for await (const c of verifyStream(chunks(data.subarray(0, 3), data.subarray(3)), target())) out.push(c);
    assert.deepEqual(Buffer.concat(out), data);
  });
  const table: [string, () => AsyncIterable<Uint8Array>, ReturnType<typeof target>, string][] = [
    ['short body', () => chunks(data.subarray(0, 5)), target(), 'E_REGISTRY_SIZE_MISMATCH'],
    ['long body', () => chunks(data, Buffer.from('!')), target(), 'E_REGISTRY_SIZE_MISMATCH'],
    [
      'same size, other bytes',
      () => chunks(Buffer.from('HELLO REGISTRY')),
      target(),
      'E_REGISTRY_DIGEST_MISMATCH',
    ],
  ];
  for (const [name, src, t, code] of table) {
    it(`${name} → ${code}, and a store fed by it keeps nothing`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'gantry-verify-'));
      try {
        const blobs = fakeBlobStore(dir);
        await assert.rejects(blobs.put(verifyStream(src(), t), { digest: t.digest, size: t.size }), (e) => {
          assert.ok(isGantryError(e, code), String(e));
          assert.match(e.message, /layer x of a:1/);
          return true;
        });
        assert.deepEqual(await blobs.digests(), []);
        assert.deepEqual(await blobs.tempFiles(), []);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
  it('marks a short body as truncated (retryable)', async () => {
    await assert.rejects(async () => {
      for await (const _ of verifyStream(chunks(data.subarray(0, 2)), target()));
    }, TruncatedError);
  });
  it('verifyBytes checks size and digest', () => {
    verifyBytes(data, target());
    assert.throws(
      () => verifyBytes(data, target(3)),
      (e) => isGantryError(e, 'E_REGISTRY_SIZE_MISMATCH'),
    );
    assert.throws(
      () => verifyBytes(Buffer.from('x'), { digest, what: 'w', url: 'u' }),
      (e) => isGantryError(e, 'E_REGISTRY_DIGEST_MISMATCH'),
    );
  });
});
