/**
 * Issue 3: gantry's wall time and peak RSS for `COPY . /app` of a generated 20,000-file, 400 MB
 * context (cold, no-op rebuild, one small file changed). Goal: peak RSS < 300 MB.
 *
 *   node --import tsx bench/copy-context.ts [--runs 3] [--files 20000] [--mb 400] [--keep-services]
 *
 * Uses bench/setup.sh (the registry serves the busybox base). Exit code 1 when the goal is missed.
 */
import { parseArgs } from 'node:util';
import { copyContextCase } from './cases/copy-context.ts';
import { benchEnv, stopServices } from './lib/bench-env.ts';
import { gantryBuilder } from './lib/builders.ts';
import { runHarness } from './lib/harness.ts';
import { summarize } from './lib/report.ts';

const RSS_GOAL_MB = 300;
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    files: { type: 'string', default: '20000' },
    mb: { type: 'string', default: '400' },
    'keep-services': { type: 'boolean', default: false },
    'no-setup': { type: 'boolean', default: false },
  },
});
const shape = { files: Number(values.files), bytes: Number(values.mb) * 1e6, seed: 'gantry-bench' };
const env = benchEnv({ setup: !values['no-setup'] });
let missed = false;
try {
  const samples = await runHarness({
    env,
    cases: [copyContextCase(shape, `copy-context-${values.files}-${values.mb}mb`)],
    builders: [gantryBuilder(env, `${env.work}/copy-context.log`)],
    runs: Number(values.runs),
    onSample: (s) =>
      process.stderr.write(
        `run ${s.run + 1} ${s.step}: ${s.result.ok ? `${s.result.seconds.toFixed(2)} s` : s.result.error}, ` +
          `peak RSS ${s.result.rssMiB?.toFixed(0) ?? '?'} MiB\n`,
      ),
  });
  console.log(`gantry, COPY . /app of ${shape.files} files, ${values.mb} MB (${values.runs} runs):`);
  console.log('| build | median wall (s) | peak RSS (MB) | RSS goal |');
  console.log('| --- | ---: | ---: | --- |');
  for (const r of summarize(samples)) {
    const rssMB = r.gantryPeakRssMiB === undefined ? undefined : (r.gantryPeakRssMiB * 2 ** 20) / 1e6;
    const ok = rssMB !== undefined && rssMB < RSS_GOAL_MB;
    missed ||= !ok || r.medians.gantry === undefined;
    console.log(
      `| ${r.step} | ${r.medians.gantry?.toFixed(2) ?? 'failed'} | ${rssMB?.toFixed(0) ?? '?'} | ${
        ok ? 'met' : 'MISSED'
      } (< ${RSS_GOAL_MB} MB) |`,
    );
  }
} finally {
  if (!values['keep-services']) stopServices();
}
process.exitCode = missed ? 1 : 0;
