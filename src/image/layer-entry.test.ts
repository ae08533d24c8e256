import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareEntries, type LayerEntry, type LayerEntryType, tarNameOf } from './layer-entry.ts';

const entry = (path: string, type: LayerEntryType = 'file'): LayerEntry => ({
  path,
  type,
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtime: 0,
  size: 0,
});

describe('tarNameOf', () => {
  const table: [LayerEntryType, string, string][] = [
    ['file', 'etc/hosts', 'etc/hosts'],
    ['dir', 'etc', 'etc/'],
    ['whiteout', 'etc/motd', 'etc/.wh.motd'],
    ['whiteout', 'top', '.wh.top'],
    ['opaque', 'var/cache', 'var/cache/.wh..wh..opq'],
    ['symlink', 'bin/sh', 'bin/sh'],
  ];
  for (const [type, path, name] of table)
    test(`${type} ${path} → ${name}`, () => assert.equal(tarNameOf(entry(path, type)), name));
});

describe('compareEntries', () => {
  test('directory first, then its opaque marker, then children; siblings by bytes', () => {
    const sorted = [entry('a-c'), entry('a/b'), entry('a', 'opaque'), entry('a', 'dir'), entry('B')].sort(
      compareEntries,
    );
    assert.deepEqual(
      sorted.map((e) => `${e.type}:${e.path}`),
      ['file:B', 'dir:a', 'opaque:a', 'file:a/b', 'file:a-c'],
    );
  });

  test('every parent comes before its children, for any set of paths', () => {
    const segment = fc.stringMatching(/^[a-c.\-_]{1,3}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'))),
        (paths) => {
          const all = new Set<string>();
          for (const p of paths) {
            const parts = p.split('/');
            for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join('/'));
          }
          const sorted = [...all].map((p) => entry(p, 'dir')).sort(compareEntries);
          const index = new Map(sorted.map((e, i) => [e.path, i]));
          for (const p of all) {
            const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : undefined;
            if (parent !== undefined)
              assert.ok((index.get(parent) ?? -1) < (index.get(p) ?? -1), `${parent} before ${p}`);
          }
        },
      ),
    );
  });
});
