import { DockerfileError, type Range } from '../errors/dockerfile-error.ts';
import { GantryError } from '../errors/gantry-error.ts';
import { StepError } from '../errors/step-error.ts';
import { codeFrame } from './code-frame.ts';

/**
 * Turns any failure into the text the user sees: a GantryError as `error: message [CODE]`, a
 * code frame when it points into a Dockerfile, the tail of a failing step's output, and the
 * hint. Bugs (plain Errors) keep their stack, since only a developer can act on them.
 */
export function formatError(e: unknown, source?: { name: string; text: string }): string {
  if (!(e instanceof GantryError)) {
    const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return `gantry: internal error (a bug; please report it)\n${stack}`;
  }
  const out: string[] = [];
  if (e instanceof StepError && e.outputTail.length > 0) {
    out.push(...e.outputTail.map((l) => `  | ${l}`));
  }
  const ranges = e instanceof DockerfileError || e instanceof StepError ? e.ranges : [];
  const file = (e instanceof DockerfileError || e instanceof StepError ? e.source : undefined) ?? source;
  if (file !== undefined) {
    for (const r of mergeLines(ranges).slice(0, 3)) out.push(codeFrame(file, r));
  }
  const where = file !== undefined && ranges[0] !== undefined ? `${file.name}:${ranges[0].start.line}: ` : '';
  out.push(`error: ${where}${e.message} [${e.code}]`);
  if (e.hint) out.push(`hint: ${e.hint}`);
  let cause = e.cause;
  while (cause instanceof Error) {
    out.push(`caused by: ${cause.message}`);
    cause = cause.cause;
  }
  return out.join('\n');
}

/** Joins ranges on consecutive lines into one, so a multi-line instruction gets one frame. */
function mergeLines(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start.line - b.start.line);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start.line <= last.end.line + 1) {
      if (r.end.line > last.end.line) last.end = { ...r.end };
    } else out.push({ start: { ...r.start }, end: { ...r.end } });
  }
  return out;
}
