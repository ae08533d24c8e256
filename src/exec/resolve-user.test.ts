import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isGantryError } from '../errors/index.ts';
import { type ProcessUser, resolveUser, resolveUserFromDb } from './resolve-user.ts';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'user:x:1000:1000::/home/user:/bin/sh',
  '2000:x:3000:3000:numeric name:/:/bin/sh',
  '',
].join('\n');
const GROUP = [
  'root:x:0:',
  'daemon:x:1:',
  'user:x:1000:',
  'extra:x:2000:user,daemon',
  'more:x:2001:user',
  '',
].join('\n');

describe('resolveUserFromDb', () => {
  const cases: [string, ProcessUser][] = [
    ['', { uid: 0, gid: 0, additionalGids: [0] }],
    ['root', { uid: 0, gid: 0, additionalGids: [0] }],
    ['user', { uid: 1000, gid: 1000, additionalGids: [1000, 2000, 2001] }],
    ['1000', { uid: 1000, gid: 1000, additionalGids: [1000, 2000, 2001] }],
    ['daemon', { uid: 1, gid: 1, additionalGids: [1, 2000] }],
    ['user:extra', { uid: 1000, gid: 2000, additionalGids: [2000] }],
    ['user:2001', { uid: 1000, gid: 2001, additionalGids: [2001] }],
    ['user:4242', { uid: 1000, gid: 4242, additionalGids: [4242] }],
    ['1000:1000', { uid: 1000, gid: 1000, additionalGids: [1000] }],
    ['4242', { uid: 4242, gid: 0, additionalGids: [0] }],
    ['4242:99', { uid: 4242, gid: 99, additionalGids: [99] }],
    ['root:root', { uid: 0, gid: 0, additionalGids: [0] }],
    // A number is a uid, never a user name.
    ['2000', { uid: 2000, gid: 0, additionalGids: [0] }],
  ];
  for (const [spec, want] of cases) {
    test(`USER ${JSON.stringify(spec)}`, () => {
      assert.deepEqual(resolveUserFromDb(spec, PASSWD, GROUP), want);
    });
  }

  test('an unknown user name is an error naming it', () => {
    assert.throws(
      () => resolveUserFromDb('nosuch', PASSWD, GROUP),
      (e) => isGantryError(e, 'E_EXEC_UNKNOWN_USER') && e.message.includes('nosuch'),
    );
  });
  test('an unknown group name is an error naming it', () => {
    assert.throws(
      () => resolveUserFromDb('user:nogroup', PASSWD, GROUP),
      (e) => isGantryError(e, 'E_EXEC_UNKNOWN_GROUP') && e.message.includes('nogroup'),
    );
  });
  test('without /etc/passwd, names fail and numbers work', () => {
    assert.throws(
      () => resolveUserFromDb('user', undefined, undefined),
      (e) => isGantryError(e, 'E_EXEC_UNKNOWN_USER'),
    );
    assert.deepEqual(resolveUserFromDb('1000', undefined, undefined), {
      uid: 1000,
      gid: 0,
      additionalGids: [0],
    });
    assert.deepEqual(resolveUserFromDb('', undefined, undefined), { uid: 0, gid: 0, additionalGids: [0] });
  });
});

describe('resolveUser reads the rootfs safely', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  async function rootfs(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'gantry-user-'));
    dirs.push(d);
    await mkdir(join(d, 'etc'));
    return d;
  }

  test('reads /etc/passwd and /etc/group of the rootfs', async () => {
    const r = await rootfs();
    await writeFile(join(r, 'etc/passwd'), PASSWD);
    await writeFile(join(r, 'etc/group'), GROUP);
    assert.deepEqual(await resolveUser(r, 'user'), {
      uid: 1000,
      gid: 1000,
      additionalGids: [1000, 2000, 2001],
    });
  });

  test('an absolute symlink to the host /etc/passwd is resolved inside the rootfs', async () => {
    const r = await rootfs();
    await mkdir(join(r, 'elsewhere/etc'), { recursive: true });
    await writeFile(join(r, 'elsewhere/etc/passwd'), 'inside:x:77:77::/:/bin/sh\n');
    // Points at "/etc/../elsewhere/..." for the container; on the host it would be the real file.
    await symlink('/elsewhere/etc/passwd', join(r, 'etc/passwd'));
    assert.deepEqual(await resolveUser(r, 'inside'), { uid: 77, gid: 77, additionalGids: [77] });
    // The host's root user is not visible through a link to /etc/passwd.
    const r2 = await rootfs();
    await symlink('/etc/passwd', join(r2, 'etc/passwd2'));
    await symlink('/etc/passwd2', join(r2, 'etc/group'));
    await assert.rejects(resolveUser(r2, 'daemon'), (e) => isGantryError(e, 'E_EXEC_UNKNOWN_USER'));
  });

  test('a FIFO as /etc/passwd does not block and counts as missing', async () => {
    const r = await rootfs();
    execFileSync('mkfifo', [join(r, 'etc/passwd')]);
    await assert.rejects(resolveUser(r, 'user'), (e) => isGantryError(e, 'E_EXEC_UNKNOWN_USER'));
    assert.deepEqual(await resolveUser(r, '5'), { uid: 5, gid: 0, additionalGids: [0] });
  });
});
