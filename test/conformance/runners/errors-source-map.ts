import { DockerfileError } from '../../../src/errors/dockerfile-error.ts';
import { StepError } from '../../../src/errors/step-error.ts';
import { convertDockerfile } from '../../../src/plan/convert.ts';
import type { CaseOutcome, Runner } from '../types.ts';
import { buildForConformance } from './build-for-conformance.ts';

interface SourceMapCase {
  id: string;
  dockerfile: string;
  expect_error: boolean;
  expected_error_lines: number[];
  requires_build: boolean;
}

const amd64 = { os: 'linux', architecture: 'amd64' };

function judge(c: SourceMapCase, e: unknown): CaseOutcome {
  if (!(e instanceof DockerfileError) && !(e instanceof StepError)) {
    return {
      id: c.id,
      status: 'fail',
      detail: `error without a source location: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const lines = e.ranges.map((r) => r.start.line);
  const want = c.expected_error_lines;
  if (lines.length !== want.length || want.some((l) => !lines.includes(l))) {
    return {
      id: c.id,
      status: 'fail',
      detail: `error lines ${JSON.stringify(lines)}, want ${JSON.stringify(want)} (${e.message})`,
    };
  }
  return { id: c.id, status: 'pass' };
}

/**
 * A failing build must point at the listed lines. Failures found while converting are judged
 * directly; the others need a real build (runc, a store), which runs when this machine can.
 */
export const run: Runner = async (data) => {
  const cases = (data as { cases: SourceMapCase[] }).cases;
  const out: CaseOutcome[] = [];
  for (const c of cases) {
    try {
      convertDockerfile({ text: c.dockerfile, buildPlatform: amd64, targetPlatform: amd64 });
    } catch (e) {
      out.push(judge(c, e));
      continue;
    }
    const built = await buildForConformance(c.dockerfile);
    if (built.kind === 'unavailable')
      out.push({ id: c.id, status: 'skip', detail: `needs a running build: ${built.reason}` });
    else if (built.kind === 'ok')
      out.push({ id: c.id, status: 'fail', detail: 'the build succeeded, but it must fail' });
    else out.push(judge(c, built.error));
  }
  return out;
};
