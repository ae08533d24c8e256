import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/index.ts';
import { registerCleanup } from './cleanup.ts';
import { createLineSplitter } from './line-splitter.ts';
import { runCommand } from './run-command.ts';
import { type RuntimeName, runtimeBinary } from './runtime-binary.ts';
import type { RuntimeSpec } from './runtime-spec-types.ts';

/** Where a container's output goes: a callback per line, or a stream that gets the lines. */
export type OutputSink = ((line: string) => void) | NodeJS.WritableStream;

export interface RunContainerOptions {
  runtime?: RuntimeName;
  bundleDir: string;
  /** Container id: unique on this machine while it runs. */
  id: string;
  spec: RuntimeSpec;
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** 'inherit' gives the container gantry's own stdin/stdout/stderr (gantry run). */
  stdio?: 'pipe' | 'inherit';
  signal?: AbortSignal;
}

function toLineFn(sink: OutputSink | undefined): (line: string) => void {
  if (sink === undefined) return () => {};
  if (typeof sink === 'function') return sink;
  return (line) => {
    sink.write(`${line}\n`);
  };
}

interface RuntimeLogLine {
  level?: string;
  msg?: string;
}

/** runc/crun with `--log-format json` write their own errors there, apart from the container's output. */
export function runtimeErrors(logText: string): string[] {
  const out: string[] = [];
  for (const line of logText.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const l = JSON.parse(line) as RuntimeLogLine;
      if ((l.level === 'error' || l.level === 'fatal') && typeof l.msg === 'string') out.push(l.msg);
    } catch {
      out.push(line.trim());
    }
  }
  return out;
}

async function deleteContainer(bin: string, id: string): Promise<void> {
  await runCommand(bin, ['delete', '--force', id]).catch(() => undefined);
}

/**
 * Runs one container to completion: writes `config.json` into the bundle, `runc run --bundle
 * DIR ID` (no terminal; stdin is /dev/null unless stdio is 'inherit'), streams output line by
 * line, and always `runc delete --force ID` afterwards. Aborting `signal` kills the container
 * and rejects with E_EXEC_ABORTED. A container that could not start (bad executable, mount
 * failure) rejects with E_EXEC_RUNTIME_FAILED; a process that ran and failed is an exit code.
 */
export async function runContainer(o: RunContainerOptions): Promise<{ exitCode: number }> {
  const bin = runtimeBinary(o.runtime);
  if (o.signal?.aborted) throw aborted(o.id);
  await writeFile(join(o.bundleDir, 'config.json'), JSON.stringify(o.spec));
  const logPath = join(o.bundleDir, 'runtime.log');
  await rm(logPath, { force: true });
  const unregister = registerCleanup(() => killAndDelete(), {
    orphanCommands: [
      [bin, 'kill', o.id, 'KILL'],
      [bin, 'delete', '--force', o.id],
    ],
  });
  const inherit = o.stdio === 'inherit';
  const child = spawn(bin, ['--log', logPath, '--log-format', 'json', 'run', '--bundle', o.bundleDir, o.id], {
    stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    // Build steps get their own process group: a terminal's Ctrl-C reaches gantry, which stops
    // the step itself; `gantry run` shares the group so Ctrl-C reaches the container.
    detached: !inherit,
  });
  let exited = false;
  async function killAndDelete(): Promise<void> {
    const r = await runCommand(bin, ['kill', o.id, 'KILL']).catch(() => undefined);
    // Not created yet (or gone): stop runc itself; delete --force removes what it left.
    if ((r === undefined || r.code !== 0) && !exited) child.kill('SIGKILL');
    await deleteContainer(bin, o.id);
  }
  const out = createLineSplitter(toLineFn(o.stdout));
  const err = createLineSplitter(toLineFn(o.stderr));
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  let wasAborted = false;
  let cleanExit: boolean | undefined;
  const onAbort = (): void => {
    wasAborted = true;
    void killAndDelete();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', (e) => {
        reject(
          new GantryError(
            'E_EXEC_RUNTIME_FAILED',
            `cannot start the container runtime "${bin}": ${e.message}`,
            {
              hint: 'Install runc (apt-get install runc) or pass --runtime with the path of an OCI runtime.',
              cause: e,
            },
          ),
        );
      });
      child.on('close', (code, sig) => {
        exited = true;
        resolve(code ?? 128 + signalNumber(sig));
      });
    });
    out.end();
    err.end();
    if (wasAborted || o.signal?.aborted) throw aborted(o.id);
    cleanExit = exitCode === 0;
    if (exitCode !== 0) {
      const errors = runtimeErrors(await readFile(logPath, 'utf8').catch(() => ''));
      if (errors.length > 0) {
        throw new GantryError(
          'E_EXEC_RUNTIME_FAILED',
          `${bin} could not run the container: ${errors.join('; ')}`,
          {
            hint: 'Check the command exists in the image (and is executable), and that the mount targets are valid.',
          },
        );
      }
    }
    return { exitCode };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    // A foreground `runc run` removes its container when the process exits; delete only after
    // an abort or a failure, where runc may have left it behind (saves a runc call per step).
    if (!exited || wasAborted || cleanExit !== true) await deleteContainer(bin, o.id);
    unregister();
  }
}

function aborted(id: string): GantryError {
  return new GantryError('E_EXEC_ABORTED', `container ${id} was stopped: the build was interrupted`, {
    hint: 'Run the build again; nothing from the interrupted step was kept.',
  });
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
  SIGPIPE: 13,
};

function signalNumber(sig: NodeJS.Signals | null): number {
  return sig === null ? 0 : (SIGNALS[sig] ?? 0);
}
