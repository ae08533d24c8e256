import { prune, verifyStore } from '../../store/index.ts';
import type { Store } from '../../store/types.ts';
import type { CliEnv } from '../cli-env.ts';
import { humanSize } from '../progress/human-size.ts';

export async function pruneCommand(store: Store, cli: CliEnv): Promise<void> {
  const r = await prune(store);
  for (const w of r.warnings) cli.err(`warning: ${w}\n`);
  cli.out(
    `removed ${r.removedBlobs} blobs, ${r.removedSnapshots} snapshots, ${r.removedTemp} temporary entries; freed ${humanSize(r.freedBytes)}\n`,
  );
}

export async function verifyCommand(store: Store, cli: CliEnv): Promise<number> {
  const r = await verifyStore(store);
  for (const p of r.problems) cli.out(`${p.kind}: ${p.path}: ${p.message}\n`);
  cli.out(
    `${r.checkedBlobs} blobs checked, ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}\n`,
  );
  return r.problems.length > 0 ? 1 : 0;
}
