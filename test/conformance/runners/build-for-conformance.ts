/**
 * Runs a real build of a one-file context for conformance rows that fail only when executed.
 * Until the build pipeline is wired in, it reports itself unavailable (the row is skipped).
 */
export type BuildOutcome =
  | { kind: 'ok' }
  | { kind: 'error'; error: unknown }
  | { kind: 'unavailable'; reason: string };

export async function buildForConformance(_dockerfile: string): Promise<BuildOutcome> {
  return { kind: 'unavailable', reason: 'the build pipeline is not wired into the conformance run yet' };
}
