import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { streamHash } from './stream-hash.ts';

function shared(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  out.set(bytes);
  return out;
}

function expected(chunks: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  return h.digest('hex');
}

/** Feeds `chunks` and counts the `hashed` callbacks per chunk. */
async function feed(
  chunks: readonly Uint8Array[],
  offloadAfter: number,
): Promise<{ hex: string; calls: number[] }> {
  const h = streamHash({ offloadAfter });
  const calls = chunks.map(() => 0);
  for (const [i, c] of chunks.entries()) {
    await h.update(c, () => {
      calls[i]!++;
    });
  }
  return { hex: await h.digest(), calls };
}

describe('streamHash', () => {
  const plain = Array.from({ length: 40 }, (_, i) => randomBytes(1000 + i * 37));

  it('gives the sha256 of the chunks, whether the stream stays below the hand-over or passes it', async () => {
    const chunks = plain.map(shared);
    for (const offloadAfter of [0, 1, 5000, 20_000, 10 ** 9]) {
      const { hex, calls } = await feed(chunks, offloadAfter);
      assert.equal(hex, expected(plain), `offloadAfter ${offloadAfter}`);
      assert.deepEqual(
        calls,
        chunks.map(() => 1),
        `each chunk released once (offloadAfter ${offloadAfter})`,
      );
    }
  });

  it('hashes ordinary buffers, and a mix of shared and ordinary ones, to the same digest', async () => {
    assert.equal((await feed(plain, 0)).hex, expected(plain));
    const mixed = plain.map((c, i) => (i % 3 === 0 ? c : shared(c)));
    for (const offloadAfter of [0, 10_000]) {
      const { hex, calls } = await feed(mixed, offloadAfter);
      assert.equal(hex, expected(plain));
      assert.deepEqual(
        calls,
        mixed.map(() => 1),
      );
    }
  });

  it('digests the empty stream', async () => {
    assert.equal(await streamHash({ offloadAfter: 0 }).digest(), expected([]));
  });

  it('keeps interleaved streams on the thread apart', async () => {
    const a = plain.map(shared);
    const b = plain.slice().reverse().map(shared);
    const ha = streamHash({ offloadAfter: 0 });
    const hb = streamHash({ offloadAfter: 0 });
    await Promise.all([
      (async () => {
        for (const c of a) await ha.update(c);
      })(),
      (async () => {
        for (const c of b) await hb.update(c);
      })(),
    ]);
    const [da, db] = await Promise.all([ha.digest(), hb.digest()]);
    assert.equal(da, expected(plain));
    assert.equal(db, expected(plain.slice().reverse()));
  });

  it('waits for the thread when many chunks are queued, and an aborted stream leaves the next intact', async () => {
    const big = Array.from({ length: 64 }, () => shared(randomBytes(256 * 1024)));
    const dropped = streamHash({ offloadAfter: 0 });
    for (const c of big.slice(0, 20)) await dropped.update(c);
    dropped.abort();
    const { hex } = await feed(big, 0);
    assert.equal(hex, expected(big));
  });
});
