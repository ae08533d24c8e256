import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * A tiny detached helper process that outlives gantry. It learns, over its stdin pipe, the
 * commands that undo what gantry has set up (`runc delete --force ID`, `umount -l DIR`) and
 * forgets them once gantry undid them itself. If gantry dies without undoing them (SIGKILL,
 * crash, process.exit), the pipe closes and the helper runs what is left, newest first.
 *
 * It is a POSIX shell script, not a second node: starting node took ~40 ms of CPU at the first
 * RUN of every build, beside the first container. Lines are `+KEY COMMAND` (COMMAND is shell
 * text made by `shellCommand`) and `-KEY`.
 */
export const WATCHDOG_SCRIPT = `trap '' INT TERM HUP
nl=$(printf '\\n_'); nl=\${nl%_}
keys=
while IFS= read -r line; do
  case $line in
    +*) k=\${line%% *}; k=\${k#+}; eval "job_$k=\\\${line#* }"; keys="$k $keys" ;;
    -*) unset "job_\${line#-}" ;;
  esac
done
for k in $keys; do
  eval "c=\\\${job_$k-}"
  if [ -n "$c" ]; then eval "$c" >/dev/null 2>&1; fi
done
`;

/**
 * Shell text that runs each argv in turn, whatever the previous one returned: every word in
 * single quotes, a newline written as `$nl` (the script's one-line protocol cannot carry it).
 */
export function shellCommand(argvs: readonly (readonly string[])[]): string {
  const word = (w: string): string => `'${w.replace(/'/g, "'\\''").replace(/\n/g, '\'"$nl"\'')}'`;
  return argvs.map((argv) => argv.map(word).join(' ')).join(' ; ');
}

let child: ChildProcess | undefined;
let nextKey = 1;

function ensureChild(): ChildProcess | undefined {
  if (child !== undefined) return child;
  const c = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], {
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

function send(line: string): void {
  ensureChild()?.stdin?.write(`${line}\n`);
}

/** Hands `argvs` to the watchdog; returns the function that takes them back. */
export function watchOrphan(argvs: string[][]): () => void {
  const key = nextKey++;
  send(`+${key} ${shellCommand(argvs)}`);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    send(`-${key}`);
  };
}

/** The watchdog's pid, if it runs (tests wait for it to finish after killing a gantry). */
export function watchdogPid(): number | undefined {
  return child?.pid;
}
