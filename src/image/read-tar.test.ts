import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../errors/gantry-error.ts';
import { readTar, type TarEntryHeader } from './read-tar.ts';
import { encodeTarHeader, endOfArchive, paxRecord, TypeFlag } from './tar-header.ts';
import { makeTar } from './testing/make-tar.ts';

async function headers(tar: Buffer): Promise<(TarEntryHeader & { body: string })[]> {
  const out: (TarEntryHeader & { body: string })[] = [];
  for await (const e of readTar([tar])) {
    const parts: Buffer[] = [];
    for await (const c of e.body) parts.push(c);
    out.push({ ...e.header, body: Buffer.concat(parts).toString('latin1') });
  }
  return out;
}

describe('paxRecord', () => {
  test('the length prefix counts the whole record, for any key and value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.uint8Array({ maxLength: 2000 }), (key, value) => {
        const rec = paxRecord(key.replace(/[= ]/g, 'k'), Buffer.from(value));
        const len = Number(rec.subarray(0, rec.indexOf(0x20)).toString());
        assert.equal(len, rec.length);
        assert.equal(rec[rec.length - 1], 0x0a);
      }),
    );
  });
});

describe('encodeTarHeader and readTar round trip', () => {
  const cases: {
    what: string;
    name: string;
    linkname?: string;
    typeflag?: string;
    uid?: number;
    xattrs?: Record<string, Buffer>;
  }[] = [
    { what: 'short name', name: 'etc/hosts' },
    { what: 'name longer than 100 bytes', name: `${'d'.repeat(90)}/${'f'.repeat(90)}` },
    { what: 'non-ASCII name', name: 'données/żółw.txt' },
    { what: 'long symlink target', name: 'l', typeflag: TypeFlag.symlink, linkname: `/${'t'.repeat(150)}` },
    { what: 'uid beyond the octal field', name: 'big-uid', uid: 100_000_000 },
    {
      what: 'binary xattr',
      name: 'cap',
      xattrs: { 'security.capability': Buffer.from([1, 0, 0, 2, 0, 0xff, 10, 0]) },
    },
  ];
  for (const c of cases) {
    test(c.what, async () => {
      const tar = Buffer.concat([
        encodeTarHeader({
          name: c.name,
          typeflag: c.typeflag ?? TypeFlag.file,
          mode: 0o640,
          uid: c.uid ?? 7,
          gid: 8,
          size: 0,
          mtime: 1234,
          linkname: c.linkname,
          xattrs: c.xattrs,
        }),
        endOfArchive(),
      ]);
      const [h] = await headers(tar);
      assert.ok(h);
      assert.equal(h.name, c.name);
      assert.equal(h.linkname, c.linkname ?? '');
      assert.equal(h.uid, c.uid ?? 7);
      assert.equal(h.mode, 0o640);
      assert.equal(h.mtime, 1234);
      assert.deepEqual(h.xattrs, c.xattrs ?? {});
    });
  }

  test('size of 8 GiB and more goes into a PAX record', async () => {
    const size = 9 * 1024 ** 3;
    const tar = encodeTarHeader({
      name: 'huge',
      typeflag: TypeFlag.file,
      mode: 0o644,
      uid: 0,
      gid: 0,
      size,
      mtime: 0,
    });
    for await (const e of readTar([tar])) {
      assert.equal(e.header.size, size);
      break;
    }
  });
});

describe('readTar', () => {
  test('reads what GNU tar writes, including GNU long names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-readtar-'));
    try {
      const long = 'n'.repeat(150);
      await mkdir(join(dir, 'src'));
      await writeFile(join(dir, 'src', long), 'long body');
      for (const format of ['gnu', 'posix']) {
        const tar = execFileSync('tar', [`--format=${format}`, '-C', join(dir, 'src'), '-cf', '-', long]);
        const [h] = await headers(tar);
        assert.equal(h?.name, long, format);
        assert.equal(h?.body, 'long body', format);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('bodies split across many small chunks are reassembled', async () => {
    const tar = makeTar([
      { name: 'a', body: 'x'.repeat(1500) },
      { name: 'b', body: 'yz' },
    ]);
    const chunks = [];
    for (let i = 0; i < tar.length; i += 7) chunks.push(tar.subarray(i, i + 7));
    const got = [];
    for await (const e of readTar(chunks)) {
      let s = '';
      for await (const c of e.body) s += c.toString();
      got.push([e.header.name, s.length]);
    }
    assert.deepEqual(got, [
      ['a', 1500],
      ['b', 2],
    ]);
  });

  test('skips unread bodies', async () => {
    const names = [];
    for await (const e of readTar([makeTar([{ name: 'a', body: 'x'.repeat(700) }, { name: 'b' }])]))
      names.push(e.header.name);
    assert.deepEqual(names, ['a', 'b']);
  });

  const broken: { what: string; tar: () => Buffer; code: string }[] = [
    {
      what: 'checksum mismatch',
      tar: () => {
        const t = makeTar([{ name: 'a', body: 'x' }]);
        t[0] = 0x62;
        return t;
      },
      code: 'E_TAR_CORRUPT',
    },
    {
      what: 'truncated body',
      tar: () => makeTar([{ name: 'a', body: 'x'.repeat(2000) }]).subarray(0, 1024),
      code: 'E_TAR_TRUNCATED',
    },
    {
      what: 'truncated header',
      tar: () => makeTar([{ name: 'a' }]).subarray(0, 300),
      code: 'E_TAR_TRUNCATED',
    },
  ];
  for (const b of broken) {
    test(`fails with ${b.code} on ${b.what}`, async () => {
      await assert.rejects(headers(b.tar()), (e) => isGantryError(e, b.code));
    });
  }
});
