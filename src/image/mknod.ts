import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GantryError } from '../errors/gantry-error.ts';

// Wrapped on first use: a module-level promisify would load child_process in every command.
const run = (cmd: string, args: string[]) => promisify(execFile)(cmd, args);

/** Creates a device node (`c`/`b` major minor) or fifo (`p`) at `abs` with mknod(1); Node has no mknod. */
export async function mknod(abs: string, args: string[], entryName: string): Promise<void> {
  try {
    await run('mknod', [abs, ...args]);
  } catch (e) {
    throw new GantryError(
      'E_LAYER_MKNOD',
      `could not create ${args[0] === 'p' ? 'fifo' : 'device node'} ${entryName}`,
      {
        hint: 'mknod(1) from coreutils must be installed; device nodes need root and a file system that allows them',
        cause: e,
      },
    );
  }
}
