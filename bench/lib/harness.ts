import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchCase, Prepared } from '../cases/types.ts';
import type { BenchEnv } from './bench-env.ts';
import type { Builder, BuilderName, BuildResult } from './builders.ts';

export interface Sample {
  caseName: string;
  caseTitle: string;
  step: string;
  target?: number;
  builder: BuilderName;
  run: number;
  result: BuildResult;
}

export interface HarnessOptions {
  env: BenchEnv;
  cases: readonly BenchCase[];
  builders: readonly Builder[];
  runs: number;
  onSample?: (s: Sample) => void;
}

/**
 * For each run, each case, each builder (the order rotates every run, so no builder always goes
 * first): reset the builder (cold), then time the case's steps in order. Dirty pages are
 * flushed (`sync`) before every timed build so one builder's writeback does not land in
 * another's time. A failed build skips the rest of that builder's steps for that case and run.
 */
export async function runHarness(o: HarnessOptions): Promise<Sample[]> {
  const prepared = new Map<string, Prepared>();
  for (const c of o.cases) {
    process.stderr.write(`bench: preparing ${c.name}\n`);
    prepared.set(c.name, await c.prepare(join(o.env.work, 'cases', c.name), o.env));
  }
  const samples: Sample[] = [];
  for (let run = 0; run < o.runs; run++) {
    for (const c of o.cases) {
      const p = prepared.get(c.name)!;
      const order = o.builders.map((_, i) => o.builders[(i + run) % o.builders.length]!);
      for (const b of order) {
        await b.reset();
        let failed: string | undefined;
        for (const step of c.steps) {
          let result: BuildResult;
          if (failed !== undefined) {
            result = { seconds: Number.NaN, ok: false, error: `skipped: ${failed}` };
          } else {
            await step.before?.(p, `${b.name}-${run}-${Date.now()}`);
            execFileSync('sync');
            result = await b.build({
              contextDir: p.contextDir,
              dockerfile: p.dockerfile,
              tag: `bench-${c.name}:${run}`,
              ...(p.target !== undefined ? { target: p.target } : {}),
            });
            if (!result.ok) failed = `${step.label} failed`;
          }
          const s: Sample = {
            caseName: c.name,
            caseTitle: c.title,
            step: step.label,
            builder: b.name,
            run,
            result,
          };
          if (step.target !== undefined) s.target = step.target;
          samples.push(s);
          o.onSample?.(s);
        }
      }
    }
  }
  return samples;
}
