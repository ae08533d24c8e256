import { type ParsedFlags, parseFlags } from './bflags.ts';
import { parseGoDuration, parseGoInt } from './go-values.ts';
import { instructionError } from './instruction-error.ts';
import { errAtLeastOneArgument, handleJSONArgs, type ParseRequest } from './parse-request.ts';
import type { HealthcheckInstruction } from './types.ts';

const MS = 1_000_000;

/**
 * A HEALTHCHECK duration flag (BuildKit parseOptInterval): '' and 0 mean "default" (0);
 * otherwise Go duration syntax, at least 1ms. Returns nanoseconds.
 */
export function parseHealthcheckDuration(flag: string, value: string): number {
  if (value === '') return 0;
  let d: number;
  try {
    d = parseGoDuration(value);
  } catch (e) {
    throw instructionError('E_DOCKERFILE_HEALTHCHECK', (e as Error).message, e);
  }
  if (d === 0) return 0;
  if (d < MS)
    throw instructionError('E_DOCKERFILE_HEALTHCHECK', `Interval "${flag}" cannot be less than 1ms`);
  return d;
}

function durations(flags: ParsedFlags) {
  return {
    interval: parseHealthcheckDuration('interval', flags.string('interval')),
    timeout: parseHealthcheckDuration('timeout', flags.string('timeout')),
    startPeriod: parseHealthcheckDuration('start-period', flags.string('start-period')),
    startInterval: parseHealthcheckDuration('start-interval', flags.string('start-interval')),
  };
}

export function parseHealthcheck(req: ParseRequest): HealthcheckInstruction {
  if (req.args.length === 0) throw errAtLeastOneArgument('HEALTHCHECK');
  let typ = req.args[0]!.toUpperCase();
  const args = req.args.slice(1);
  if (typ === 'NONE') {
    if (args.length !== 0)
      throw instructionError('E_DOCKERFILE_HEALTHCHECK', 'HEALTHCHECK NONE takes no arguments');
    return {
      ...req.base,
      kind: 'healthcheck',
      test: ['NONE'],
      interval: 0,
      timeout: 0,
      startPeriod: 0,
      startInterval: 0,
      retries: 0,
    };
  }
  const flags = parseFlags(req.flags, [
    { name: 'interval', type: 'string' },
    { name: 'timeout', type: 'string' },
    { name: 'start-period', type: 'string' },
    { name: 'start-interval', type: 'string' },
    { name: 'retries', type: 'string' },
  ]);
  if (typ !== 'CMD')
    throw instructionError('E_DOCKERFILE_HEALTHCHECK', `Unknown type "${typ}" in HEALTHCHECK (try CMD)`);
  const cmd = handleJSONArgs(args, req.json);
  if (cmd.length === 0)
    throw instructionError('E_DOCKERFILE_HEALTHCHECK', 'Missing command after HEALTHCHECK CMD');
  if (!req.json) typ = 'CMD-SHELL';
  const d = durations(flags);
  let retries = 0;
  const r = flags.string('retries');
  if (r !== '') {
    try {
      retries = parseGoInt(r, 32);
    } catch (e) {
      throw instructionError('E_DOCKERFILE_HEALTHCHECK', (e as Error).message, e);
    }
    if (retries < 0)
      throw instructionError('E_DOCKERFILE_HEALTHCHECK', `--retries cannot be negative (${retries})`);
  }
  return { ...req.base, kind: 'healthcheck', test: [typ, ...cmd], ...d, retries };
}
