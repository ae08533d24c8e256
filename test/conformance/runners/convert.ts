import { convertDockerfile } from '../../../src/plan/convert.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface ConvertCase {
  id: string;
  dockerfile: string;
  options?: { target?: string };
  expect_error: boolean;
  error_exact?: string;
  expected?: Record<string, unknown>;
}

const amd64 = { os: 'linux', architecture: 'amd64' };

/** Reads `image.Config.Labels.marker`-style paths from the target stage's image config. */
function lookup(image: unknown, path: string): unknown {
  const parts = path.split('.');
  if (parts[0] !== 'image') return undefined;
  let v: unknown = image;
  for (const raw of parts.slice(1)) {
    const key = raw === 'Config' ? 'config' : raw;
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export const run: Runner = (data) => {
  const cases = (data as { cases: ConvertCase[] }).cases;
  return cases.map((c): CaseOutcome => {
    try {
      const r = convertDockerfile({
        text: c.dockerfile,
        target: c.options?.target,
        buildPlatform: amd64,
        targetPlatform: amd64,
      });
      if (c.expect_error) return { id: c.id, status: 'fail', detail: 'converted, but an error was expected' };
      const image = r.states.get(r.plan.target)?.image;
      for (const [path, want] of Object.entries(c.expected ?? {})) {
        const got = lookup(image, path);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          return {
            id: c.id,
            status: 'fail',
            detail: `${path}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`,
          };
        }
      }
      return { id: c.id, status: 'pass' };
    } catch (e) {
      if (!c.expect_error)
        return {
          id: c.id,
          status: 'fail',
          detail: `unexpected error: ${e instanceof Error ? e.message : String(e)}`,
        };
      const msg = e instanceof Error ? e.message : String(e);
      if (c.error_exact !== undefined && msg !== c.error_exact) {
        return {
          id: c.id,
          status: 'fail',
          detail: `error ${JSON.stringify(msg)}, want ${JSON.stringify(c.error_exact)}`,
        };
      }
      return { id: c.id, status: 'pass' };
    }
  });
};
