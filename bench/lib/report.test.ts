import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample } from './harness.ts';
import { failureList, summarize, summaryTable } from './report.ts';

function sample(
  builder: Sample['builder'],
  run: number,
  seconds: number,
  extra: Partial<Sample['result']> = {},
): Sample {
  return {
    caseName: 'c',
    caseTitle: 'case c',
    step: 'cold',
    target: 0.5,
    builder,
    run,
    result: { seconds, ok: true, ...extra },
  };
}

test('summarize: medians per builder, the largest gantry RSS, failures kept', () => {
  const rows = summarize([
    sample('gantry', 0, 1, { rssMiB: 100 }),
    sample('gantry', 1, 3, { rssMiB: 250 }),
    sample('gantry', 2, 2, { rssMiB: 90 }),
    sample('docker', 0, 4),
    sample('docker', 1, 6),
    sample('docker', 2, 5),
    sample('buildah', 0, Number.NaN, { ok: false, error: 'exit 1: boom' }),
  ]);
  assert.equal(rows.length, 1);
  const r = rows[0]!;
  assert.deepEqual(r.medians, { gantry: 2, docker: 5 });
  assert.equal(r.gantryPeakRssMiB, 250);
  assert.deepEqual(failureList(rows), ['- case c, cold, buildah: exit 1: boom']);
  const table = summaryTable(rows).split('\n');
  assert.equal(table[2], '| case c | cold | 2.00 | 5.00 | failed | 0.40 | ≤ 0.5 | yes | 250 |');
});

test('summaryTable: a ratio above the target is not met', () => {
  const rows = summarize([sample('gantry', 0, 3), sample('docker', 0, 2)]);
  assert.match(summaryTable(rows), /\| 1\.50 \| ≤ 0\.5 \| no \|/);
});
