import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A lazily created scratch directory for downloads and unpacked members, removed by `cleanup`. */
export interface TempFiles {
  /** A fresh path inside the scratch directory (not created). */
  next(label: string): Promise<string>;
  cleanup(): Promise<void>;
}

export function tempFiles(parent: string | undefined): TempFiles {
  let dir: Promise<string> | undefined;
  let n = 0;
  return {
    async next(label) {
      dir ??= mkdtemp(join(parent ?? tmpdir(), 'gantry-copy-'));
      n++;
      return join(await dir, `${n}-${label.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}`);
    },
    async cleanup() {
      if (dir === undefined) return;
      const d = await dir.catch(() => undefined);
      dir = undefined;
      if (d !== undefined) await rm(d, { recursive: true, force: true });
    },
  };
}
