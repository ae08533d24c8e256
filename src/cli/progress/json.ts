import type { BuildEvent } from '../../build/events.ts';

/** One JSON object per line, for machines. */
export function jsonRenderer(
  write: (s: string) => void,
  now: () => number = Date.now,
): (e: BuildEvent) => void {
  return (e) => write(`${JSON.stringify({ time: new Date(now()).toISOString(), ...e })}\n`);
}
