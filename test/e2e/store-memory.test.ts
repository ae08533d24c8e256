// Memory use of a put must not depend on the blob's size: a child process streams a 256 MiB
// blob into the store and reports its peak resident set size (about 110 MiB here; a put that
// held the blob in memory would exceed 330).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDigest } from '../../src/oci/digest.ts';
import { openStore } from '../../src/store/open-store.ts';
import { testRoot } from '../../src/store/testing/put-test-image.ts';

const MIB = 1024 * 1024;
const CHUNKS = 256;

function chunk(i: number): Buffer {
  return Buffer.alloc(MIB, i % 251); // a fresh buffer each time, as a network stream would yield
}

if (process.env.GANTRY_STORE_CHILD === undefined) {
  describe('store memory', () => {
    it(`streams a ${CHUNKS} MiB blob with bounded memory`, async () => {
      const root = await testRoot();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        GANTRY_STORE_CHILD: 'big-put',
        GANTRY_TEST_ROOT: root,
      };
      delete env.NODE_TEST_CONTEXT;
      const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
        env,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { digest: string; size: number; maxRssMiB: number };
      const hash = createHash('sha256');
      for (let i = 0; i < CHUNKS; i++) hash.update(chunk(i));
      assert.equal(out.digest, `sha256:${hash.digest('hex')}`);
      assert.equal(out.size, CHUNKS * MIB);
      assert.ok(out.maxRssMiB < 224, `peak RSS ${out.maxRssMiB} MiB for a ${CHUNKS} MiB blob`);
      const store = await openStore(root);
      assert.equal((await store.blobs.stat(parseDigest(out.digest)))?.size, CHUNKS * MIB);
    });
  });
} else {
  const store = await openStore(process.env.GANTRY_TEST_ROOT!);
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < CHUNKS; i++) yield chunk(i);
  }
  const info = await store.blobs.put(source());
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify({ ...info, maxRssMiB }));
}
