import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideRunSupport, type RunSupportFacts } from './check-run-support.ts';

const FS = 'nodev\tsysfs\nnodev\ttmpfs\n\text4\nnodev\toverlay\n';
const ok: RunSupportFacts = { euid: 0, runtime: 'runc', runtimePath: '/usr/sbin/runc', filesystems: FS };

describe('decideRunSupport', () => {
  const cases: {
    name: string;
    facts: RunSupportFacts;
    missing: 'root' | 'runtime' | 'overlayfs' | undefined;
    hint?: RegExp;
  }[] = [
    { name: 'all present', facts: ok, missing: undefined },
    { name: 'not root', facts: { ...ok, euid: 1000 }, missing: 'root', hint: /sudo/ },
    {
      name: 'no runc',
      facts: { ...ok, runtimePath: undefined },
      missing: 'runtime',
      hint: /apt-get install runc/,
    },
    {
      name: 'no crun',
      facts: { ...ok, runtime: 'crun', runtimePath: undefined },
      missing: 'runtime',
      hint: /install crun/,
    },
    {
      name: 'bad path',
      facts: { ...ok, runtime: '/opt/rt', runtimePath: undefined },
      missing: 'runtime',
      hint: /\/opt\/rt/,
    },
    {
      name: 'no overlay',
      facts: { ...ok, filesystems: 'nodev\toverlayish\n' },
      missing: 'overlayfs',
      hint: /modprobe overlay/,
    },
    { name: 'unreadable /proc/filesystems', facts: { ...ok, filesystems: '' }, missing: 'overlayfs' },
    {
      name: 'root is checked first',
      facts: { euid: 5, runtime: 'runc', runtimePath: undefined, filesystems: '' },
      missing: 'root',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = decideRunSupport(c.facts);
      if (c.missing === undefined) {
        assert.deepEqual(r, { ok: true });
        return;
      }
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.missing, c.missing);
      assert.ok(r.message.length > 0);
      if (c.hint) assert.match(r.hint, c.hint);
    });
  }
});
