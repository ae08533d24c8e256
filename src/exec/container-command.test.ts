import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isGantryError } from '../errors/index.ts';
import type { ContainerConfig } from '../oci/index.ts';
import { containerCommand, type RunOverrides } from './container-command.ts';
import { mergeEnv, withDefaultPath } from './process-env.ts';

describe('containerCommand (docker run rules)', () => {
  const img: ContainerConfig = {
    Entrypoint: ['/ep'],
    Cmd: ['a', 'b'],
    Env: ['A=1', 'PATH=/bin'],
    User: 'user',
    WorkingDir: '/w',
  };
  const cases: { name: string; config: ContainerConfig; o: RunOverrides; args: string[] }[] = [
    { name: 'entrypoint + cmd', config: img, o: {}, args: ['/ep', 'a', 'b'] },
    { name: 'args replace cmd', config: img, o: { cmd: ['c'] }, args: ['/ep', 'c'] },
    { name: '--entrypoint drops the image cmd', config: img, o: { entrypoint: ['/x'] }, args: ['/x'] },
    { name: '--entrypoint and args', config: img, o: { entrypoint: ['/x'], cmd: ['y'] }, args: ['/x', 'y'] },
    { name: '--entrypoint "" with args', config: img, o: { entrypoint: [], cmd: ['sh'] }, args: ['sh'] },
    { name: 'cmd only', config: { Cmd: ['sh'] }, o: {}, args: ['sh'] },
    { name: 'null entrypoint', config: { Entrypoint: null, Cmd: ['sh'] }, o: {}, args: ['sh'] },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(containerCommand(c.config, c.o).args, c.args));
  }
  test('env, user, workdir from the image, overridden', () => {
    assert.deepEqual(containerCommand(img), {
      args: ['/ep', 'a', 'b'],
      env: ['A=1', 'PATH=/bin'],
      cwd: '/w',
      user: 'user',
    });
    const o = containerCommand(img, { env: ['A=2', 'B=3'], user: '0', workdir: '/t' });
    assert.deepEqual(o.env, ['A=2', 'PATH=/bin', 'B=3']);
    assert.equal(o.user, '0');
    assert.equal(o.cwd, '/t');
    assert.equal(containerCommand({ Cmd: ['x'] }).cwd, '/');
  });
  test('nothing to run is a coded error', () => {
    assert.throws(
      () => containerCommand({}),
      (e) => isGantryError(e, 'E_EXEC_NO_COMMAND'),
    );
  });
});

describe('process env helpers', () => {
  test('withDefaultPath adds PATH only when missing', () => {
    assert.deepEqual(withDefaultPath(['A=1']), [
      'A=1',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
    assert.deepEqual(withDefaultPath(['PATH=/x']), ['PATH=/x']);
  });
  test('mergeEnv overrides by key', () => {
    assert.deepEqual(mergeEnv(['A=1', 'B=2'], ['B=3', 'C=4', 'A=0']), ['A=0', 'B=3', 'C=4']);
  });
});
