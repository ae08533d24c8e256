import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRlimits, parseNofile } from './host-limits.ts';
import { mountPointsUnder } from './mounts-under.ts';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 20000                files
`;

test('RLIMIT_NOFILE is raised to our hard limit', () => {
  assert.deepEqual(parseNofile(LIMITS), { soft: 1024, hard: 20000 });
  assert.deepEqual(defaultRlimits(LIMITS), [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
  assert.deepEqual(defaultRlimits('nothing here'), []);
});

test('mountPointsUnder finds mounts at and below a dir, with escaped names', () => {
  const text = [
    'proc /proc proc rw 0 0',
    'overlay /s/step/rootfs overlay rw 0 0',
    'tmpfs /s/step/with\\040space tmpfs rw 0 0',
    'overlay /s/stepper overlay rw 0 0',
    '',
  ].join('\n');
  assert.deepEqual(mountPointsUnder(text, '/s/step/'), ['/s/step/rootfs', '/s/step/with space']);
});
