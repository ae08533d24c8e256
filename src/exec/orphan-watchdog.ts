import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * A tiny detached helper process that outlives gantry. It learns, over its stdin pipe, the
 * commands that undo what gantry has set up (`runc delete --force ID`, `umount -l DIR`) and
 * forgets them once gantry undid them itself. If gantry dies without undoing them (SIGKILL,
 * crash, process.exit), the pipe closes and the helper runs what is left, newest first.
 */
const WATCHDOG_SOURCE = `
const { spawnSync } = require('node:child_process');
const jobs = new Map();
let buf = '';
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    try {
      const m = JSON.parse(line);
      if (m.del !== undefined) jobs.delete(m.del); else jobs.set(m.add, m.argv);
    } catch {}
  }
});
const finish = () => {
  for (const argvs of [...jobs.values()].reverse()) {
    for (const a of argvs) spawnSync(a[0], a.slice(1), { stdio: 'ignore' });
  }
  process.exit(0);
};
process.stdin.on('end', finish);
process.stdin.on('error', finish);
`;

let child: ChildProcess | undefined;
let nextKey = 1;

function ensureChild(): ChildProcess | undefined {
  if (child !== undefined) return child;
  // It makes no TLS connections and loads nothing: extra CA certificates (parsed at node's start)
  // and NODE_OPTIONS (preloads) would only delay it.
  const { NODE_EXTRA_CA_CERTS: _ca, NODE_OPTIONS: _opts, ...env } = process.env;
  const c = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
    env,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  c.on('error', () => {});
  c.stdin?.on('error', () => {});
  c.unref();
  (c.stdin as Socket | null)?.unref();
  child = c;
  return c;
}

function send(msg: object): void {
  ensureChild()?.stdin?.write(`${JSON.stringify(msg)}\n`);
}

/** Hands `argvs` to the watchdog; returns the function that takes them back. */
export function watchOrphan(argvs: string[][]): () => void {
  const key = nextKey++;
  send({ add: key, argv: argvs });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    send({ del: key });
  };
}

/** The watchdog's pid, if it runs (tests wait for it to finish after killing a gantry). */
export function watchdogPid(): number | undefined {
  return child?.pid;
}
