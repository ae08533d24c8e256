import assert from 'node:assert/strict';
import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isDirectAligned, recycleChunk, sharedChunk } from './chunk-pool.ts';

/** Whether two views start at the same memory. */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset;
}

describe('chunk pool', () => {
  it('hands out shared memory of the asked size; distinct chunks do not overlap', () => {
    const a = sharedChunk(64 * 1024);
    const b = sharedChunk(64 * 1024);
    assert.equal(a.byteLength, 64 * 1024);
    assert.ok(a.buffer instanceof SharedArrayBuffer);
    a.fill(1);
    b.fill(2);
    assert.ok(a.every((x) => x === 1));
  });

  it('aligned chunks can be written with O_DIRECT (the point of carving them from WebAssembly memory)', async (t) => {
    const c = sharedChunk(1 << 20);
    assert.equal(isDirectAligned(c), true);
    assert.equal(isDirectAligned(c.subarray(0, 4096)), true);
    assert.equal(isDirectAligned(c.subarray(16, 4112)), false, 'an address off the alignment');
    assert.equal(isDirectAligned(c.subarray(0, 100)), false, 'a length off the alignment');
    assert.equal(isDirectAligned(Buffer.alloc(1 << 20)), false, 'memory not from the pool');
    assert.equal(isDirectAligned(sharedChunk(1000)), false, 'a size off the alignment');
    const dir = await mkdtemp(join(tmpdir(), 'chunk-pool-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'direct');
    closeSync(openSync(file, 'w'));
    let fd: number;
    try {
      fd = openSync(file, constants.O_WRONLY | constants.O_DIRECT);
    } catch (e) {
      t.skip(`${tmpdir()} takes no O_DIRECT: ${(e as Error).message}`);
      return;
    }
    try {
      c.fill(7);
      assert.equal(writeSync(fd, c, 0, c.length, 0), c.length);
      const second = sharedChunk(1 << 20);
      second.fill(8);
      assert.equal(writeSync(fd, second, 0, second.length, c.length), second.length);
    } finally {
      closeSync(fd);
    }
    const back = readFileSync(file);
    assert.equal(back.length, 2 << 20);
    assert.ok(back.subarray(0, 1 << 20).every((x) => x === 7));
    assert.ok(back.subarray(1 << 20).every((x) => x === 8));
  });

  it('reuses the memory of a recycled chunk, also when a shorter view of it comes back', () => {
    for (const size of [8192, 777]) {
      const c = sharedChunk(size);
      recycleChunk(c.subarray(0, 100));
      const again = sharedChunk(size);
      assert.ok(same(again, c), `size ${size}`);
      assert.equal(again.byteLength, size);
      assert.ok(!same(sharedChunk(size), c), `handed out once only (size ${size})`);
    }
  });

  it('ignores memory it did not hand out, views not at a chunk start, and a chunk given back twice', () => {
    const foreign = new Uint8Array(new SharedArrayBuffer(12345));
    recycleChunk(foreign);
    recycleChunk(Buffer.alloc(12345));
    assert.ok(!same(sharedChunk(12345), foreign));
    const inner = sharedChunk(16384);
    recycleChunk(inner.subarray(4096));
    assert.ok(!same(sharedChunk(16384), inner.subarray(4096)));
    const c = sharedChunk(4096 * 3);
    recycleChunk(c);
    recycleChunk(c);
    const first = sharedChunk(4096 * 3);
    const second = sharedChunk(4096 * 3);
    assert.ok(same(first, c));
    assert.ok(!same(second, c));
  });

  it('gives back memory of one size only for that size', () => {
    const c = sharedChunk(4096 * 5);
    recycleChunk(c);
    assert.ok(!same(sharedChunk(4096 * 6), c));
    assert.ok(same(sharedChunk(4096 * 5), c));
  });
});
