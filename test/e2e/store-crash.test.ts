// Crash safety: a process killed (SIGKILL) in the middle of writing a blob leaves no visible
// blob, the store verifies, and prune later removes the partial temp file. The child is this
// file run again with GANTRY_STORE_CHILD set.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/open-store.ts';
import { prune } from '../../src/store/prune.ts';
import { digestOf, putTestImage, testRoot } from '../../src/store/testing/put-test-image.ts';
import { verifyStore } from '../../src/store/verify-store.ts';

const CHUNK = 64 * 1024;

if (process.env.GANTRY_STORE_CHILD === undefined) {
  describe('store crash safety', () => {
    it('SIGKILL in the middle of a put leaves no blob; verify passes; prune removes the temp file', async () => {
      const root = await testRoot();
      const store = await openStore(root);
      const image = await putTestImage(store.blobs, ['base layer']);
      await store.refs.set('crash/base:1', image.index);
      const before = (await readdir(join(root, 'blobs', 'sha256'))).sort();

      const env: NodeJS.ProcessEnv = {
        ...process.env,
        GANTRY_STORE_CHILD: 'slow-put',
        GANTRY_TEST_ROOT: root,
      };
      delete env.NODE_TEST_CONTEXT;
      const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { env });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        proc.on('close', (_code, signal) => resolve(signal)),
      );
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('WRITING')) resolve();
        });
        proc.on('close', () => reject(new Error(`child exited before writing: ${stderr}`)));
      });
      proc.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');

      const tmp = await readdir(join(root, 'tmp'));
      assert.equal(tmp.length, 1, 'the partial temp file is there (in tmp/, not in blobs/)');
      assert.match(tmp[0]!, new RegExp(`^blob\\.${proc.pid}\\.`));
      assert.ok((await stat(join(root, 'tmp', tmp[0]!))).size >= 4 * CHUNK);
      assert.deepEqual(
        (await readdir(join(root, 'blobs', 'sha256'))).sort(),
        before,
        'no new blob is visible',
      );
      assert.deepEqual((await verifyStore(store)).problems, []);

      const soon = await prune(store);
      assert.equal(soon.removedTemp, 0, 'younger than an hour: kept');
      const later = await prune(store, { now: new Date(Date.now() + 2 * 3_600_000) });
      assert.deepEqual(
        {
          removedBlobs: later.removedBlobs,
          removedSnapshots: later.removedSnapshots,
          removedTemp: later.removedTemp,
        },
        { removedBlobs: 0, removedSnapshots: 0, removedTemp: 1 },
      );
      assert.deepEqual(await readdir(join(root, 'tmp')), []);
      assert.deepEqual((await readdir(join(root, 'blobs', 'sha256'))).sort(), before);
      assert.deepEqual((await verifyStore(store)).problems, []);
    });

    it('a put with an expected digest that the content does not match leaves nothing', async () => {
      const store = await openStore(await testRoot());
      async function* source(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(CHUNK, i);
      }
      await assert.rejects(store.blobs.put(source(), { digest: digestOf('something else') }), {
        code: 'E_BLOB_DIGEST_MISMATCH',
      });
      await assert.rejects(store.blobs.put(source(), { size: 64 * CHUNK - 1 }), {
        code: 'E_BLOB_SIZE_MISMATCH',
      });
      assert.deepEqual(await readdir(join(store.root, 'blobs', 'sha256')), []);
      assert.deepEqual(await readdir(join(store.root, 'tmp')), []);
    });
  });
} else {
  // slow-put: writes chunks, says WRITING once some are on disk, then keeps going until killed
  // (it gives up by itself after ~30 s so that a failed test leaves no process behind).
  const store = await openStore(process.env.GANTRY_TEST_ROOT!);
  async function* endless(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 3000; i++) {
      if (i === 5) process.stdout.write('WRITING\n'); // chunks 0-4 are written: each write is awaited before the next pull
      yield Buffer.alloc(CHUNK, i % 256);
      if (i >= 5) await sleep(10);
    }
  }
  await store.blobs.put(endless());
}
