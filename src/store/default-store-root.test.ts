import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import { defaultStoreRoot, type StoreRootInputs } from './default-store-root.ts';

describe('defaultStoreRoot', () => {
  const cases: { name: string; inputs: StoreRootInputs; want: string }[] = [
    { name: 'GANTRY_ROOT wins for root', inputs: { env: { GANTRY_ROOT: '/srv/g' }, uid: 0 }, want: '/srv/g' },
    {
      name: 'GANTRY_ROOT wins for a user',
      inputs: { env: { GANTRY_ROOT: '/srv/g', XDG_DATA_HOME: '/x', HOME: '/home/u' }, uid: 1000 },
      want: '/srv/g',
    },
    {
      name: 'root uses /var/lib/gantry',
      inputs: { env: { HOME: '/root', XDG_DATA_HOME: '/x' }, uid: 0 },
      want: '/var/lib/gantry',
    },
    {
      name: 'empty GANTRY_ROOT counts as unset',
      inputs: { env: { GANTRY_ROOT: '' }, uid: 0 },
      want: '/var/lib/gantry',
    },
    {
      name: 'user with XDG_DATA_HOME',
      inputs: { env: { XDG_DATA_HOME: '/d', HOME: '/home/u' }, uid: 1000 },
      want: '/d/gantry',
    },
    {
      name: 'relative XDG_DATA_HOME is ignored (XDG spec)',
      inputs: { env: { XDG_DATA_HOME: 'rel', HOME: '/home/u' }, uid: 1000 },
      want: '/home/u/.local/share/gantry',
    },
    {
      name: 'user without XDG_DATA_HOME',
      inputs: { env: { HOME: '/home/u' }, uid: 1000 },
      want: '/home/u/.local/share/gantry',
    },
    {
      name: 'homedir when HOME is unset',
      inputs: { env: {}, uid: 1000, homedir: '/home/h' },
      want: '/home/h/.local/share/gantry',
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(defaultStoreRoot(c.inputs), c.want));
  }

  it('fails with a hint when nothing says where home is', () => {
    assert.throws(
      () => defaultStoreRoot({ env: {}, uid: 1000 }),
      (e) => isGantryError(e, 'E_STORE_ROOT_UNKNOWN') && /GANTRY_ROOT/.test(e.hint ?? ''),
    );
  });
});
