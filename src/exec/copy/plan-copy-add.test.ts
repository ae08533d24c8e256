import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isGantryError } from '../../errors/gantry-error.ts';
import { makeTar } from '../../image/testing/make-tar.ts';
import { planCopy } from './plan-copy.ts';
import { describe, makeTree, tempDir } from './testing/make-tree.ts';
import type { CopyRequest } from './types.ts';

const archive = makeTar([
  { name: 'pkg/', type: 'dir', mode: 0o750, uid: 10, gid: 20 },
  { name: 'pkg/bin', body: 'binary', mode: 0o755, uid: 10, gid: 20 },
  { name: 'pkg/link', type: 'symlink', linkname: 'bin' },
  { name: '../../escape', body: 'confined' },
  { name: 'pkg/hard', type: 'hardlink', linkname: 'pkg/bin' },
  { name: 'pkg/.wh.victim', body: '' },
]);

async function withContext(
  files: Record<string, string | Buffer>,
  fn: (base: Pick<CopyRequest, 'source' | 'workdir' | 'destRoot' | 'tmpDir'>) => Promise<void>,
): Promise<void> {
  const t = await tempDir();
  try {
    const root = join(t.dir, 'ctx');
    await makeTree(root, [{ path: '.', dir: true }]);
    for (const [name, data] of Object.entries(files)) await writeFile(join(root, name), data);
    await fn({ source: { root, kind: 'context' }, workdir: '/', destRoot: undefined, tmpDir: t.dir });
  } finally {
    await t.remove();
  }
}

const wantArchive = [
  'dest dir 0755 0:0',
  'dest/escape file 0644 0:0 = confined',
  'dest/pkg dir 0750 10:20',
  'dest/pkg/bin file 0755 10:20 = binary',
  'dest/pkg/hard hardlink 0644 0:0 -> dest/pkg/bin',
  'dest/pkg/link symlink 0644 0:0 -> bin',
];

for (const [label, bytes] of [
  ['tar', archive],
  ['tar.gz', Buffer.from(execFileSync('gzip', ['-c'], { input: archive }))],
  ['tar.zst', Buffer.from(execFileSync('zstd', ['-c', '-q'], { input: archive }))],
  ['tar.bz2', Buffer.from(execFileSync('bzip2', ['-c'], { input: archive }))],
  ['tar.xz', Buffer.from(execFileSync('xz', ['-c'], { input: archive }))],
] as const) {
  test(`ADD of a local ${label} extracts it (detected by content, names confined)`, async () => {
    await withContext({ 'a.bin': bytes }, async (base) => {
      const plan = await planCopy({ ...base, isAdd: true, sources: ['a.bin'], dest: '/dest' });
      try {
        assert.deepEqual(await describe(plan.entries), wantArchive);
        assert.ok(plan.warnings.some((w) => w.includes('.wh.victim')));
      } finally {
        await plan.cleanup();
      }
    });
  });
}

test('ADD --chown applies to extracted members; COPY and ADD --unpack=false do not extract', async () => {
  await withContext({ 'a.tar': archive }, async (base) => {
    const chowned = await planCopy({ ...base, isAdd: true, sources: ['a.tar'], dest: '/d/', chown: '1:2' });
    assert.ok((await describe(chowned.entries)).includes('d/pkg/bin file 0755 1:2 = binary'));
    await chowned.cleanup();
    for (const req of [{ isAdd: false }, { isAdd: true, unpack: false }]) {
      const plan = await planCopy({ ...base, ...req, sources: ['a.tar'], dest: '/d/' });
      assert.deepEqual(
        plan.entries.map((e) => `${e.path} ${e.type} ${e.size}`),
        ['d dir 0', `d/a.tar file ${archive.length}`],
      );
      await plan.cleanup();
    }
  });
});

test('ADD of a file that is not an archive copies it', async () => {
  await withContext({ 'notes.gz': Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]) }, async (base) => {
    const plan = await planCopy({ ...base, isAdd: true, sources: ['notes.gz'], dest: '/n' });
    assert.deepEqual(
      plan.entries.map((e) => `${e.path} ${e.type}`),
      ['n file'],
    );
    await plan.cleanup();
  });
});

function fakeFetch(body: string, headers: Record<string, string> = {}, status = 200) {
  const calls: string[] = [];
  const fn = async (url: string): Promise<Response> => {
    calls.push(url);
    return new Response(body, { status, headers });
  };
  return { fn, calls };
}

const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;

test('ADD <url> downloads to the file named by the URL path, mode 0600, mtime from Last-Modified', async () => {
  await withContext({}, async (base) => {
    const f = fakeFetch('payload', { 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
    const plan = await planCopy({
      ...base,
      isAdd: true,
      sources: ['https://example.com/dl/tool-1.0.tgz?x=1'],
      dest: '/opt/',
      fetchUrl: f.fn,
      checksum: sha('payload'),
    });
    try {
      assert.deepEqual(f.calls, ['https://example.com/dl/tool-1.0.tgz?x=1']);
      assert.deepEqual(await describe(plan.entries), [
        'opt dir 0755 0:0',
        'opt/tool-1.0.tgz file 0600 0:0 = payload',
      ]);
      assert.equal(plan.entries[1]?.mtime, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT') / 1000);
    } finally {
      await plan.cleanup();
    }
  });
});

test('ADD <url> to a path without a slash names the file; no path gives __unnamed__', async () => {
  await withContext({}, async (base) => {
    const a = await planCopy({
      ...base,
      isAdd: true,
      sources: ['http://h/x'],
      dest: '/bar',
      fetchUrl: fakeFetch('1').fn,
    });
    assert.deepEqual(await describe(a.entries), ['bar file 0600 0:0 = 1']);
    await a.cleanup();
    const b = await planCopy({
      ...base,
      isAdd: true,
      sources: ['http://h/'],
      dest: '/d/',
      fetchUrl: fakeFetch('2').fn,
    });
    assert.deepEqual(await describe(b.entries), ['d dir 0755 0:0', 'd/__unnamed__ file 0600 0:0 = 2']);
    await b.cleanup();
  });
});

test('ADD --checksum mismatch names the URL without credentials and both digests', async () => {
  await withContext({}, async (base) => {
    const wrong = sha('other');
    await assert.rejects(
      planCopy({
        ...base,
        isAdd: true,
        sources: ['https://user:secret@example.com/f?token=abc'],
        dest: '/f',
        checksum: wrong,
        fetchUrl: fakeFetch('payload').fn,
      }),
      (e) => {
        assert.ok(isGantryError(e, 'E_ADD_CHECKSUM_MISMATCH'));
        assert.ok(!e.message.includes('secret') && !e.message.includes('abc'), e.message);
        assert.ok(e.message.includes('https://example.com/f'), e.message);
        assert.ok(e.message.includes(wrong) && e.message.includes(sha('payload')), e.message);
        return true;
      },
    );
  });
});

test('ADD <url> HTTP errors and checksum misuse are reported', async () => {
  await withContext({ local: 'x' }, async (base) => {
    await assert.rejects(
      planCopy({
        ...base,
        isAdd: true,
        sources: ['https://h/missing'],
        dest: '/m',
        fetchUrl: fakeFetch('no', {}, 404).fn,
      }),
      (e) => isGantryError(e, 'E_ADD_URL_STATUS') && e.message.includes('404'),
    );
    await assert.rejects(planCopy({ ...base, sources: ['https://h/f'], dest: '/m' }), (e) =>
      isGantryError(e, 'E_COPY_URL_IN_COPY'),
    );
    await assert.rejects(
      planCopy({ ...base, sources: ['local'], dest: '/m', checksum: sha('x') }),
      (e) => isGantryError(e, 'E_COPY_CHECKSUM') && e.message === "checksum can't be specified for COPY",
    );
    await assert.rejects(
      planCopy({ ...base, isAdd: true, sources: ['local'], dest: '/m', checksum: sha('x') }),
      (e) => isGantryError(e, 'E_COPY_CHECKSUM') && e.message === 'checksum requires HTTP(S) or Git sources',
    );
    await assert.rejects(
      planCopy({
        ...base,
        isAdd: true,
        sources: ['https://h/f'],
        dest: '/m',
        checksum: 'md5:abc',
        fetchUrl: fakeFetch('').fn,
      }),
      (e) => isGantryError(e, 'E_ADD_CHECKSUM_INVALID'),
    );
    await assert.rejects(
      planCopy({ ...base, isAdd: true, sources: ['https://github.com/o/r.git'], dest: '/m' }),
      (e) => isGantryError(e, 'E_ADD_GIT_UNSUPPORTED'),
    );
  });
});

test('ADD --unpack=true extracts a downloaded archive', async () => {
  await withContext({}, async (base) => {
    const fetchUrl = async (): Promise<Response> => new Response(new Uint8Array(archive));
    const plan = await planCopy({
      ...base,
      isAdd: true,
      unpack: true,
      sources: ['https://h/a.tar'],
      dest: '/dest',
      fetchUrl,
    });
    assert.deepEqual(await describe(plan.entries), wantArchive);
    await plan.cleanup();
  });
});

test('cleanup removes downloads and unpacked members', async () => {
  await withContext({ 'a.tar': archive }, async (base) => {
    const plan = await planCopy({ ...base, isAdd: true, sources: ['a.tar'], dest: '/d/' });
    const member = plan.entries.find((e) => e.type === 'file')?.source as string;
    await stat(member);
    await plan.cleanup();
    await assert.rejects(stat(member), { code: 'ENOENT' });
  });
});
