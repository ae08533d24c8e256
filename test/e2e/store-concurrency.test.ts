// Several gantry processes using one store at once. The children are this file run again with
// GANTRY_STORE_CHILD set (see runChild at the bottom), so each one is a real separate process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isGantryError } from '../../src/errors/gantry-error.ts';
import { MediaType } from '../../src/oci/media-types.ts';
import { openStore } from '../../src/store/open-store.ts';
import { prune } from '../../src/store/prune.ts';
import { digestOf, putJson, testRoot } from '../../src/store/testing/put-test-image.ts';
import { verifyStore } from '../../src/store/verify-store.ts';
import { withLock } from '../../src/store/with-lock.ts';

const WORKERS = 4;
const ROUNDS = 50;

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function child(mode: string, env: Record<string, string>): Promise<ChildResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, GANTRY_STORE_CHILD: mode };
  delete childEnv.NODE_TEST_CONTEXT;
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: childEnv,
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  proc.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function children(mode: string, root: string): Promise<ChildResult[]> {
  const results = await Promise.all(
    Array.from({ length: WORKERS }, (_, i) =>
      child(mode, { GANTRY_TEST_ROOT: root, GANTRY_TEST_WORKER: String(i) }),
    ),
  );
  for (const r of results) assert.equal(r.code, 0, `child failed: ${r.stderr}`);
  return results;
}

if (process.env.GANTRY_STORE_CHILD === undefined) {
  describe('store shared by several processes', () => {
    it(`${WORKERS} processes x ${ROUNDS} ref and cache updates: all present, store verifies`, async () => {
      const root = await testRoot();
      await children('refs', root);
      const store = await openStore(root);
      const refs = await store.refs.list();
      const names = refs.map((r) => r.name);
      const want: string[] = ['e2e/shared:latest'];
      for (let w = 0; w < WORKERS; w++) for (let j = 0; j < ROUNDS; j++) want.push(`e2e/w${w}:${j}`);
      assert.deepEqual(names, [...want].sort());
      for (const r of refs) {
        if (r.name === 'e2e/shared:latest') continue;
        const doc = JSON.parse((await store.blobs.readBytes(r.descriptor.digest)).toString()) as {
          annotations: { ref: string };
        };
        assert.equal(doc.annotations.ref, r.name, 'each ref points at the manifest written for it');
      }
      assert.equal((await store.cache.keys()).length, WORKERS * ROUNDS);
      assert.deepEqual((await verifyStore(store)).problems, []);
    });

    it(`withLock excludes across processes: ${WORKERS} x ${ROUNDS} read-modify-write increments lose none`, async () => {
      const root = await testRoot();
      await writeFile(join(root, 'counter'), '0');
      await children('counter', root);
      assert.equal(await readFile(join(root, 'counter'), 'utf8'), String(WORKERS * ROUNDS));
    });

    it('concurrent snapshot preparers in several processes fill once and agree on the path', async () => {
      const root = await testRoot();
      const results = await children('snapshot', root);
      const fills = (await readFile(join(root, 'fills.log'), 'utf8')).trim().split('\n');
      assert.equal(fills.length, 1);
      const store = await openStore(root);
      const paths = new Set(results.map((r) => r.stdout.trim()));
      assert.deepEqual(paths, new Set([store.snapshots.path(digestOf('shared chain'))]));
      assert.equal(await readFile(join([...paths][0]!, 'filled-by'), 'utf8'), fills[0]);
    });

    it('prune refuses while another process holds a lease, and proceeds once it has died', async () => {
      const root = await testRoot();
      const store = await openStore(root);
      const orphan = await store.blobs.putBytes(Buffer.from('unreferenced'));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        GANTRY_STORE_CHILD: 'hold-lease',
        GANTRY_TEST_ROOT: root,
      };
      delete env.NODE_TEST_CONTEXT;
      const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { env });
      const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('LEASED')) resolve();
        });
        proc.on('close', () => reject(new Error('child exited before taking its lease')));
      });
      await assert.rejects(
        prune(store),
        (e) => isGantryError(e, 'E_STORE_BUSY') && e.message.includes(`pid ${proc.pid}`),
      );
      assert.equal(await store.blobs.has(orphan.digest), true);
      proc.kill('SIGKILL');
      await exited;
      assert.equal((await prune(store)).removedBlobs, 1);
      assert.deepEqual(await readdir(join(root, 'leases')), []);
    });

    it('a lock left by a process that exited is broken by the next one', async () => {
      const root = await testRoot();
      const lock = join(root, 'locks', 'left.lock');
      const r = await child('leave-lock', { GANTRY_TEST_ROOT: root });
      assert.equal(r.code, 0, r.stderr);
      const left = JSON.parse(await readFile(lock, 'utf8')) as { pid: number };
      assert.notEqual(left.pid, process.pid);
      const got = await withLock(
        lock,
        async () => JSON.parse(await readFile(lock, 'utf8')) as { pid: number },
        {
          timeoutMs: 0,
        },
      );
      assert.equal(got.pid, process.pid);
    });
  });
} else {
  await runChild(process.env.GANTRY_STORE_CHILD);
}

async function runChild(mode: string): Promise<void> {
  const root = process.env.GANTRY_TEST_ROOT!;
  const worker = Number(process.env.GANTRY_TEST_WORKER ?? '0');
  const store = await openStore(root);
  switch (mode) {
    case 'refs': {
      const lease = await store.lease();
      for (let j = 0; j < ROUNDS; j++) {
        const name = `e2e/w${worker}:${j}`;
        const config = await putJson(store.blobs, MediaType.ociConfig, {
          architecture: 'amd64',
          os: 'linux',
          rootfs: { type: 'layers', diff_ids: [] },
        });
        const manifest = await putJson(store.blobs, MediaType.ociManifest, {
          schemaVersion: 2,
          config,
          layers: [],
          annotations: { ref: name },
        });
        await store.refs.set(name, manifest);
        await store.refs.set('e2e/shared:latest', manifest);
        const key = digestOf(name).slice(7);
        await store.cache.set(key, {
          blobs: [manifest.digest],
          data: { name },
          createdAt: new Date(0).toISOString(),
        });
      }
      await lease.release();
      return;
    }
    case 'counter': {
      const file = join(root, 'counter');
      for (let j = 0; j < ROUNDS; j++) {
        await withLock(join(root, 'locks', 'counter.lock'), async () => {
          const n = Number(await readFile(file, 'utf8'));
          for (let k = 0; k < 3; k++) await tick();
          await writeFile(file, String(n + 1));
        });
      }
      return;
    }
    case 'snapshot': {
      const path = await store.snapshots.prepare(digestOf('shared chain'), async (dir) => {
        const me = `pid ${process.pid}`;
        await writeFile(join(root, 'fills.log'), `${me}\n`, { flag: 'a' });
        for (let k = 0; k < 20; k++) await tick();
        await writeFile(join(dir, 'filled-by'), me);
      });
      process.stdout.write(`${path}\n`);
      return;
    }
    case 'hold-lease': {
      await store.lease();
      process.stdout.write('LEASED\n');
      await sleep(60_000); // until the parent kills us (or give up after a minute)
      return;
    }
    case 'leave-lock': {
      await withLock(join(root, 'locks', 'left.lock'), async () => process.exit(0));
      return;
    }
    default:
      throw new Error(`unknown child mode ${mode}`);
  }
}
