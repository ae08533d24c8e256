/**
 * Issue 5: the cost of one trivial RUN step, gantry beside docker build and buildah. Times a cold
 * build of FROM + 1 RUN and of FROM + 25 RUNs (interleaved, N runs); per-step overhead =
 * (median(25) − median(1)) ÷ 24.
 *
 *   node --import tsx bench/run-overhead.ts [--runs 3] [--builder NAME]... [--keep-services]
 */
import { parseArgs } from 'node:util';
import { runStepsCase } from './cases/run-steps.ts';
import { benchEnv, stopServices } from './lib/bench-env.ts';
import { allBuilders, type BuilderName } from './lib/builders.ts';
import { runHarness } from './lib/harness.ts';
import { summarize } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    builder: { type: 'string', multiple: true },
    'keep-services': { type: 'boolean', default: false },
    'no-setup': { type: 'boolean', default: false },
  },
});
const env = benchEnv({ setup: !values['no-setup'] });
try {
  const builders = allBuilders(
    env,
    `${env.work}/run-overhead.log`,
    values.builder as BuilderName[] | undefined,
  );
  const samples = await runHarness({
    env,
    cases: [runStepsCase(1), runStepsCase(25)],
    builders,
    runs: Number(values.runs),
    onSample: (s) =>
      process.stderr.write(
        `run ${s.run + 1} ${s.caseName} ${s.builder}: ${s.result.ok ? `${s.result.seconds.toFixed(2)} s` : s.result.error}\n`,
      ),
  });
  const [one, many] = summarize(samples);
  console.log('| builder | FROM + 1 RUN (s) | FROM + 25 RUNs (s) | per RUN step (ms) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const b of builders) {
    const a = one?.medians[b.name];
    const z = many?.medians[b.name];
    const per = a !== undefined && z !== undefined ? (((z - a) / 24) * 1000).toFixed(0) : 'failed';
    console.log(`| ${b.name} | ${a?.toFixed(2) ?? 'failed'} | ${z?.toFixed(2) ?? 'failed'} | ${per} |`);
  }
} finally {
  if (!values['keep-services']) stopServices();
}
