import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MOUNT_DATA_LIMIT, planOverlayMount } from './mount-overlay.ts';

describe('planOverlayMount', () => {
  test('short plain paths are given as they are', () => {
    const p = planOverlayMount({ lowerDirs: ['/s/b', '/s/a'], upperDir: '/x/upper', workDir: '/x/work' }, [
      'index',
    ]);
    assert.equal(p.options, 'lowerdir=/s/b:/s/a,upperdir=/x/upper,workdir=/x/work,index=off');
    assert.equal(p.links, undefined);
  });

  test('paths with , or : go through short relative links', () => {
    const p = planOverlayMount({ lowerDirs: ['/a,b', '/c:d'], upperDir: '/u', workDir: '/w' });
    assert.equal(p.options, 'lowerdir=0:1,upperdir=u,workdir=w');
    assert.deepEqual(p.links, [
      { name: '0', target: '/a,b' },
      { name: '1', target: '/c:d' },
      { name: 'u', target: '/u' },
      { name: 'w', target: '/w' },
    ]);
  });

  test('property: any list up to 500 lower dirs of long paths fits in a page, order kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 200 }), (n, len) => {
        const lowerDirs = Array.from({ length: n }, (_, i) => `/${'d'.repeat(len)}/${i}`);
        const p = planOverlayMount({ lowerDirs, upperDir: '/u', workDir: '/w' }, [
          'index',
          'redirect_dir',
          'metacopy',
        ]);
        assert.ok(p.options.length <= MOUNT_DATA_LIMIT, `${p.options.length}`);
        if (p.links !== undefined) {
          const names = /lowerdir=([^,]*)/.exec(p.options)![1]!.split(':');
          const byName = new Map(p.links.map((l) => [l.name, l.target]));
          assert.deepEqual(
            names.map((x) => byName.get(x)),
            lowerDirs,
          );
        }
      }),
    );
  });

  test('no lower dir is a bug of the caller', () => {
    assert.throws(() => planOverlayMount({ lowerDirs: [], upperDir: '/u', workDir: '/w' }));
  });

  test('without upper and work dirs the overlay is read-only: lower dirs only, at least two', () => {
    assert.deepEqual(planOverlayMount({ lowerDirs: ['/s/b', '/s/a'] }, ['index']), {
      options: 'lowerdir=/s/b:/s/a,index=off',
    });
    const long = Array.from({ length: 200 }, (_, i) => `/var/lib/gantry/snapshots/${'x'.repeat(40)}${i}`);
    const p = planOverlayMount({ lowerDirs: long });
    assert.ok(p.options.startsWith('lowerdir=0:1:2'));
    assert.ok(!p.options.includes('upperdir'));
    assert.equal(p.links?.length, 200);
    assert.throws(() => planOverlayMount({ lowerDirs: ['/only'] }), /at least two/);
    assert.throws(() => planOverlayMount({ lowerDirs: ['/a', '/b'], upperDir: '/u' }), /both/);
  });
});
