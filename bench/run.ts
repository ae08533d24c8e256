/**
 * gantry vs docker build (BuildKit) vs buildah on the issue-7 cases, interleaved, N runs.
 *
 *   node --import tsx bench/run.ts [--runs 3] [--case NAME]... [--builder NAME]... [--keep-services]
 *
 * Runs bench/setup.sh start (installs docker.io/buildah if missing, starts a registry and a
 * private dockerd, puts the bases everywhere), times every case, prints a markdown report and
 * writes it to bench/results/<date>.md, then stops the services (unless --keep-services).
 * Cases: copy-context, many-steps, parallel-stages, go-seed. Builders: gantry, docker, buildah.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyContextCase } from './cases/copy-context.ts';
import { goSeed } from './cases/go-seed.ts';
import { manySteps } from './cases/many-steps.ts';
import { parallelStages } from './cases/parallel-stages.ts';
import type { BenchCase } from './cases/types.ts';
import { benchEnv, REPO, stopServices } from './lib/bench-env.ts';
import { allBuilders, type BuilderName } from './lib/builders.ts';
import { runHarness } from './lib/harness.ts';
import { describeMachine } from './lib/machine.ts';
import { failureList, rawTable, summarize, summaryTable } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    case: { type: 'string', multiple: true },
    builder: { type: 'string', multiple: true },
    'keep-services': { type: 'boolean', default: false },
    'no-setup': { type: 'boolean', default: false },
  },
});

const ALL: BenchCase[] = [copyContextCase(), manySteps, parallelStages, goSeed];
const cases = values.case ? ALL.filter((c) => values.case!.includes(c.name)) : ALL;
const runs = Number(values.runs);
if (cases.length === 0 || !(runs >= 1)) {
  console.error(
    `usage: run.ts [--runs N] [--case ${ALL.map((c) => c.name).join('|')}]... [--builder gantry|docker|buildah]...`,
  );
  process.exit(2);
}

const env = benchEnv({ setup: !values['no-setup'] });
try {
  const logFile = join(env.work, 'bench.log');
  await writeFile(logFile, '');
  const builders = allBuilders(env, logFile, values.builder as BuilderName[] | undefined);
  const started = new Date();
  const samples = await runHarness({
    env,
    cases,
    builders,
    runs,
    onSample: (s) =>
      process.stderr.write(
        `bench: run ${s.run + 1} ${s.caseName} / ${s.step} / ${s.builder}: ${
          s.result.ok ? `${s.result.seconds.toFixed(2)} s` : s.result.error
        }${s.result.rssMiB !== undefined ? `, ${s.result.rssMiB.toFixed(0)} MiB` : ''}\n`,
      ),
  });
  const rows = summarize(samples);
  const failures = failureList(rows);
  const report = [
    `# Benchmark ${started.toISOString()}`,
    '',
    `${runs} run(s) per builder and case, interleaved; medians of wall time in seconds. Log: ${logFile}.`,
    '',
    ...describeMachine({ work: env.work, dockerHost: env.dockerHost, gantry: env.gantry }),
    '',
    summaryTable(rows),
    '',
    ...(failures.length > 0 ? ['Failures:', '', ...failures, ''] : []),
    '<details><summary>every run</summary>',
    '',
    rawTable(samples),
    '',
    '</details>',
    '',
  ].join('\n');
  process.stdout.write(report);
  const dir = join(REPO, 'bench/results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${started.toISOString().replace(/:/g, '-').replace(/\..*/, '')}.md`);
  await writeFile(file, report);
  process.stderr.write(`bench: wrote ${file}\n`);
} finally {
  if (!values['keep-services']) stopServices();
}
