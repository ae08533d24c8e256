import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

export interface RunCommandOptions {
  cmd: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** stdout and stderr are appended here (with the command line first). */
  logFile: string;
  timeoutMs?: number;
}

export interface CommandResult {
  /** Wall time from spawn to exit, in seconds. */
  seconds: number;
  code: number | null;
  /** All of stdout. */
  stdout: string;
  /** The last ~2,000 characters of stdout+stderr, for error messages. */
  tail: string;
}

/** Runs one command to completion, timing it from spawn to exit; output goes to a log file. */
export async function runCommand(o: RunCommandOptions): Promise<CommandResult> {
  await appendFile(o.logFile, `\n$ ${o.cmd} ${o.args.join(' ')}\n`);
  const chunks: string[] = [];
  const out: string[] = [];
  let tail = '';
  const t0 = performance.now();
  const child = spawn(o.cmd, o.args, {
    cwd: o.cwd,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    const s = d.toString('utf8');
    chunks.push(s);
    tail = (tail + s).slice(-2000);
  };
  child.stdout.on('data', (d: Buffer) => {
    out.push(d.toString('utf8'));
    keep(d);
  });
  child.stderr.on('data', keep);
  const timer =
    o.timeoutMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs).unref() : undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  const seconds = (performance.now() - t0) / 1000;
  if (timer) clearTimeout(timer);
  await appendFile(o.logFile, chunks.join(''));
  await appendFile(o.logFile, `[exit ${code}, ${seconds.toFixed(3)} s]\n`);
  return { seconds, code, stdout: out.join(''), tail };
}

/** Runs a helper command (not timed) and returns its stdout; throws with its output when it fails. */
export async function mustRun(o: RunCommandOptions): Promise<string> {
  const r = await runCommand(o);
  if (r.code !== 0) throw new Error(`${o.cmd} ${o.args.join(' ')} failed (exit ${r.code}):\n${r.tail}`);
  return r.stdout;
}
