import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recycleChunk, sharedChunk } from './chunk-pool.ts';

describe('chunk pool', () => {
  it('hands out shared memory of the asked size', () => {
    const c = sharedChunk(4096);
    assert.equal(c.byteLength, 4096);
    assert.ok(c.buffer instanceof SharedArrayBuffer);
  });

  it('reuses the memory of a recycled chunk, also when a shorter view of it comes back', () => {
    const c = sharedChunk(8192);
    recycleChunk(c.subarray(0, 100));
    const again = sharedChunk(8192);
    assert.equal(again.buffer, c.buffer);
    assert.equal(again.byteLength, 8192);
    assert.notEqual(sharedChunk(8192).buffer, c.buffer, 'handed out once only');
  });

  it('ignores memory it did not hand out, and a chunk given back twice', () => {
    const foreign = new Uint8Array(new SharedArrayBuffer(12345));
    recycleChunk(foreign);
    recycleChunk(Buffer.alloc(12345));
    assert.notEqual(sharedChunk(12345).buffer, foreign.buffer);
    const c = sharedChunk(777);
    recycleChunk(c);
    recycleChunk(c);
    const first = sharedChunk(777);
    const second = sharedChunk(777);
    assert.equal(first.buffer, c.buffer);
    assert.notEqual(second.buffer, c.buffer);
  });

  it('gives back memory of another size only for that size', () => {
    const c = sharedChunk(1000);
    recycleChunk(c);
    assert.notEqual(sharedChunk(2000).buffer, c.buffer);
    assert.equal(sharedChunk(1000).buffer, c.buffer);
  });
});
