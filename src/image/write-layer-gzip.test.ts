import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { LayerEntry } from './layer-entry.ts';
import { fakeBlobStore } from './testing/fake-blob-store.ts';
import { UNCOMPRESSED_SIZE_ANNOTATION, writeLayer } from './write-layer.ts';

/** Counts gzip members by walking the headers of a multi-member stream. */
function countMembers(gz: Buffer): number {
  let n = 0;
  for (let i = 0; i + 1 < gz.length; i++) if (gz[i] === 0x1f && gz[i + 1] === 0x8b && gz[i + 2] === 8) n++;
  return n;
}

test('a big layer is gzip members that any gzip reader joins back into the exact tar', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-gz-'));
  try {
    const blobs = await fakeBlobStore(join(dir, 'blobs'));
    // 10 MiB of incompressible data: three 4 MiB members, compressed in parallel.
    const content = randomBytes(10 << 20);
    const entries: LayerEntry[] = [
      { path: 'big', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: content.length, content },
      {
        path: 'small',
        type: 'file',
        mode: 0o600,
        uid: 1,
        gid: 2,
        mtime: 0,
        size: 3,
        content: Buffer.from('abc'),
      },
    ];
    const a = await writeLayer(entries, { blobs, compression: 'gzip', gzipLevel: 1 });
    const blob = await blobs.readBytes(a.descriptor.digest);
    const tar = gunzipSync(blob);
    assert.equal(`sha256:${createHash('sha256').update(tar).digest('hex')}`, a.diffId);
    assert.equal(tar.length, a.uncompressedSize);
    assert.equal(a.descriptor.annotations?.[UNCOMPRESSED_SIZE_ANNOTATION], String(tar.length));
    assert.ok(countMembers(blob) >= 3, 'several members');
    const b = await writeLayer(entries, { blobs, compression: 'gzip', gzipLevel: 1 });
    assert.equal(b.descriptor.digest, a.descriptor.digest, 'same input, same bytes');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an uncompressed layer is the tar itself and carries no annotation', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-gz-'));
  try {
    const blobs = await fakeBlobStore(join(dir, 'blobs'));
    const l = await writeLayer(
      [
        {
          path: 'f',
          type: 'file',
          mode: 0o644,
          uid: 0,
          gid: 0,
          mtime: 0,
          size: 1,
          content: Buffer.from('x'),
        },
      ],
      {
        blobs,
        compression: 'none',
      },
    );
    assert.equal(l.descriptor.size, l.uncompressedSize);
    assert.equal(l.descriptor.digest, l.diffId);
    assert.equal(l.descriptor.annotations, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
