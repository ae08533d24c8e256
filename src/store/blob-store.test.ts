import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { sharedChunk } from './chunk-pool.ts';
import { openStore } from './open-store.ts';
import { digestOf, testRoot } from './testing/put-test-image.ts';
import type { Store } from './types.ts';

async function* chunksOf(buffers: readonly Buffer[]): AsyncGenerator<Buffer> {
  yield* buffers;
}

async function fresh(): Promise<Store> {
  return openStore(await testRoot());
}

async function leftovers(store: Store): Promise<{ blobs: string[]; tmp: string[] }> {
  return {
    blobs: await readdir(join(store.root, 'blobs', 'sha256')),
    tmp: await readdir(join(store.root, 'tmp')),
  };
}

async function* chunks(parts: string[], failAfter?: number): AsyncGenerator<Uint8Array> {
  let i = 0;
  for (const p of parts) {
    if (failAfter !== undefined && i++ === failAfter) throw new Error('source broke');
    yield Buffer.from(p);
  }
}

describe('blob store', () => {
  it('putBytes of a blob already stored writes nothing (works with tmp/ gone); a different expected digest still fails', async () => {
    const store = await fresh();
    const info = await store.blobs.putBytes(Buffer.from('same'));
    await rm(join(store.root, 'tmp'), { recursive: true });
    assert.deepEqual(await store.blobs.putBytes(Buffer.from('same')), info);
    assert.deepEqual(await store.blobs.putBytes(Buffer.from('same'), { digest: info.digest, size: 4 }), info);
    await assert.rejects(store.blobs.putBytes(Buffer.from('new')), (e) => isGantryError(e, 'E_STORE_WRITE'));
    await assert.rejects(
      store.blobs.putBytes(Buffer.from('same'), { digest: digestOf('other') }),
      (e) => isGantryError(e, 'E_STORE_WRITE') || isGantryError(e, 'E_BLOB_DIGEST_MISMATCH'),
    );
  });

  it('puts bytes and reads them back by digest', async () => {
    const store = await fresh();
    const info = await store.blobs.putBytes(Buffer.from('hello'));
    assert.deepEqual(info, { digest: digestOf('hello'), size: 5 });
    assert.equal(await store.blobs.has(info.digest), true);
    assert.deepEqual(await store.blobs.stat(info.digest), info);
    assert.equal((await store.blobs.readBytes(info.digest)).toString(), 'hello');
    assert.equal(await text(store.blobs.open(info.digest)), 'hello');
    assert.equal(store.blobs.path(info.digest), join(store.root, 'blobs', 'sha256', info.digest.slice(7)));
    assert.equal((await stat(store.blobs.path(info.digest))).mode & 0o777, 0o444);
    assert.deepEqual((await leftovers(store)).tmp, []);
  });

  it('streams a Readable and an async iterable, hashing the whole', async () => {
    const store = await fresh();
    const parts = ['a'.repeat(70_000), 'b', 'c'.repeat(100_000)];
    const whole = parts.join('');
    const fromReadable = await store.blobs.put(Readable.from(parts.map((p) => Buffer.from(p))));
    const fromIterable = await store.blobs.put(chunks(parts), {
      digest: digestOf(whole),
      size: whole.length,
    });
    assert.deepEqual(fromReadable, { digest: digestOf(whole), size: whole.length });
    assert.deepEqual(fromIterable, fromReadable);
    assert.deepEqual(await leftovers(store), { blobs: [digestOf(whole).slice(7)], tmp: [] });
  });

  it('a large blob in pooled shared chunks (hashed on the helper thread) gets its digest, and its chunks go back to the pool', async () => {
    const store = await fresh();
    const size = 1 << 20;
    const made: Buffer[] = [];
    async function* pooled(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 24; i++) {
        const c = sharedChunk(size);
        c.fill(i);
        made.push(c);
        yield c;
      }
    }
    const info = await store.blobs.put(pooled());
    const whole = createHash('sha256');
    for (let i = 0; i < 24; i++) whole.update(Buffer.alloc(size, i));
    assert.deepEqual(info, { digest: `sha256:${whole.digest('hex')}`, size: 24 * size });
    const reused = new Set(made.map((c) => c.buffer));
    assert.ok(reused.has(sharedChunk(size).buffer), 'a written and hashed chunk is handed out again');
    // A failing large source: nothing left, the error comes through.
    async function* broken(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 12; i++) yield sharedChunk(size);
      throw new Error('source broke late');
    }
    await assert.rejects(store.blobs.put(broken()), /source broke late/);
    assert.deepEqual((await leftovers(store)).tmp, []);
  });

  it('aligned pooled chunks (written with O_DIRECT) and other chunks in one blob read back byte for byte', async () => {
    const store = await fresh();
    const parts: Buffer[] = [];
    const pooled = (fill: number, size = 1 << 20): Buffer => {
      const c = sharedChunk(size);
      c.fill(fill);
      parts.push(Buffer.from(c));
      return c;
    };
    const plain = (fill: number, size: number): Buffer => {
      const c = Buffer.alloc(size, fill);
      parts.push(c);
      return c;
    };
    const source = [
      pooled(1),
      pooled(2),
      plain(3, 4096), // aligned offset and length, but not pooled: buffered
      pooled(4),
      plain(5, 100), // from here on every offset is off the alignment
      pooled(6),
      pooled(7, 8192),
      pooled(8, 3000),
    ];
    for (let i = 0; i < 12; i++) source.push(pooled(9 + i)); // past the hash thread's threshold
    const info = await store.blobs.put(chunksOf(source));
    const whole = Buffer.concat(parts);
    assert.deepEqual(info, {
      digest: `sha256:${createHash('sha256').update(whole).digest('hex')}`,
      size: whole.length,
    });
    assert.ok((await store.blobs.readBytes(info.digest)).equals(whole));
  });

  it('an empty blob is a blob', async () => {
    const store = await fresh();
    const info = await store.blobs.put(chunks([]), { size: 0 });
    assert.deepEqual(info, { digest: digestOf(''), size: 0 });
  });

  const rejected: {
    name: string;
    parts: string[];
    expected: { digest?: Digest; size?: number };
    code: string;
  }[] = [
    {
      name: 'a digest mismatch',
      parts: ['abc'],
      expected: { digest: digestOf('abd') },
      code: 'E_BLOB_DIGEST_MISMATCH',
    },
    { name: 'a short blob', parts: ['ab', 'c'], expected: { size: 4 }, code: 'E_BLOB_SIZE_MISMATCH' },
    {
      name: 'a long blob (cut off early)',
      parts: ['ab', 'cd', 'ef'],
      expected: { size: 3 },
      code: 'E_BLOB_SIZE_MISMATCH',
    },
    {
      name: 'a right digest with a wrong size',
      parts: ['abc'],
      expected: { digest: digestOf('abc'), size: 2 },
      code: 'E_BLOB_SIZE_MISMATCH',
    },
  ];
  for (const c of rejected) {
    it(`${c.name} fails with ${c.code} and leaves nothing behind`, async () => {
      const store = await fresh();
      await assert.rejects(store.blobs.put(chunks(c.parts), c.expected), (e) => isGantryError(e, c.code));
      assert.deepEqual(await leftovers(store), { blobs: [], tmp: [] });
      assert.equal(await store.blobs.has(digestOf(c.parts.join(''))), false);
    });
  }

  it('a failing source leaves nothing behind and its error comes through', async () => {
    const store = await fresh();
    await assert.rejects(store.blobs.put(chunks(['a', 'b', 'c'], 2)), /source broke/);
    assert.deepEqual(await leftovers(store), { blobs: [], tmp: [] });
  });

  it('putting the same content twice keeps one file and no temp', async () => {
    const store = await fresh();
    const [a, b] = await Promise.all([
      store.blobs.putBytes(Buffer.from('x')),
      store.blobs.putBytes(Buffer.from('x')),
    ]);
    assert.deepEqual(a, b);
    await store.blobs.putBytes(Buffer.from('x'));
    assert.deepEqual(await leftovers(store), { blobs: [digestOf('x').slice(7)], tmp: [] });
  });

  it('absent blobs: stat undefined, has false, open and readBytes throw E_BLOB_NOT_FOUND', async () => {
    const store = await fresh();
    const d = digestOf('nope');
    assert.equal(await store.blobs.stat(d), undefined);
    assert.equal(await store.blobs.has(d), false);
    assert.throws(
      () => store.blobs.open(d),
      (e) => isGantryError(e, 'E_BLOB_NOT_FOUND') && e.message.includes(d),
    );
    await assert.rejects(store.blobs.readBytes(d), (e) => isGantryError(e, 'E_BLOB_NOT_FOUND'));
  });

  it('validates digests before they become paths', async () => {
    const store = await fresh();
    for (const bad of [
      'sha256:../../../etc/passwd',
      `sha512:${'a'.repeat(64)}`,
      `sha256:${'A'.repeat(64)}`,
    ]) {
      const d = bad as Digest;
      assert.throws(
        () => store.blobs.path(d),
        (e) => isGantryError(e, 'E_DIGEST_INVALID'),
      );
      assert.throws(
        () => store.blobs.open(d),
        (e) => isGantryError(e, 'E_DIGEST_INVALID'),
      );
      await assert.rejects(store.blobs.has(d), (e) => isGantryError(e, 'E_DIGEST_INVALID'));
      await assert.rejects(store.blobs.putBytes(Buffer.from('a'), { digest: d }), (e) =>
        isGantryError(e, 'E_DIGEST_INVALID'),
      );
    }
    assert.deepEqual(await leftovers(store), { blobs: [], tmp: [] });
  });
});
