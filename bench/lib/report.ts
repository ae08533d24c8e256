import type { BuilderName } from './builders.ts';
import type { Sample } from './harness.ts';
import { median } from './stats.ts';

const BUILDERS: BuilderName[] = ['gantry', 'docker', 'buildah'];

export interface Row {
  caseTitle: string;
  step: string;
  target?: number;
  /** Median seconds of the successful runs per builder (undefined: none succeeded or not run). */
  medians: Partial<Record<BuilderName, number>>;
  failures: Partial<Record<BuilderName, string>>;
  runs: Partial<Record<BuilderName, number>>;
  gantryPeakRssMiB?: number;
}

/** Groups samples by (case, step), in the order they first appear. */
export function summarize(samples: readonly Sample[]): Row[] {
  const rows = new Map<string, Row & { all: Partial<Record<BuilderName, number[]>> }>();
  for (const s of samples) {
    const key = `${s.caseName}\u0000${s.step}`;
    let row = rows.get(key);
    if (!row) {
      row = { caseTitle: s.caseTitle, step: s.step, medians: {}, failures: {}, runs: {}, all: {} };
      if (s.target !== undefined) row.target = s.target;
      rows.set(key, row);
    }
    row.runs[s.builder] = (row.runs[s.builder] ?? 0) + 1;
    if (s.result.ok) {
      const list = row.all[s.builder] ?? [];
      list.push(s.result.seconds);
      row.all[s.builder] = list;
    } else if (row.failures[s.builder] === undefined) {
      row.failures[s.builder] = s.result.error ?? 'failed';
    }
    if (s.builder === 'gantry' && s.result.rssMiB !== undefined) {
      row.gantryPeakRssMiB = Math.max(row.gantryPeakRssMiB ?? 0, s.result.rssMiB);
    }
  }
  return [...rows.values()].map(({ all, ...row }) => {
    for (const b of BUILDERS) {
      const xs = all[b];
      if (xs && xs.length > 0) row.medians[b] = median(xs);
    }
    return row;
  });
}

function cell(row: Row, b: BuilderName): string {
  const m = row.medians[b];
  const n = row.runs[b];
  if (n === undefined) return 'not run';
  if (m === undefined) return 'failed';
  return row.failures[b] !== undefined ? `${m.toFixed(2)} (some runs failed)` : m.toFixed(2);
}

/** The summary table: medians in seconds, the ratio gantry ÷ docker, the target, peak RSS. */
export function summaryTable(rows: readonly Row[]): string {
  const out = [
    '| case | build | gantry (s) | docker build (s) | buildah (s) | gantry ÷ docker | target | met | gantry peak RSS (MiB) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | :---: | ---: |',
  ];
  for (const r of rows) {
    const g = r.medians.gantry;
    const d = r.medians.docker;
    const ratio = g !== undefined && d !== undefined ? g / d : undefined;
    const met = ratio === undefined || r.target === undefined ? '–' : ratio <= r.target ? 'yes' : 'no';
    const rss = r.gantryPeakRssMiB;
    out.push(
      `| ${r.caseTitle} | ${r.step} | ${cell(r, 'gantry')} | ${cell(r, 'docker')} | ${cell(r, 'buildah')} | ${
        ratio === undefined ? '–' : ratio.toFixed(2)
      } | ${r.target === undefined ? '–' : `≤ ${r.target}`} | ${met} | ${rss === undefined ? '–' : rss.toFixed(0)} |`,
    );
  }
  return out.join('\n');
}

/** Every sample, for the record. */
export function rawTable(samples: readonly Sample[]): string {
  const out = [
    '| case | build | builder | run | seconds | peak RSS (MiB) | error |',
    '| --- | --- | --- | ---: | ---: | ---: | --- |',
  ];
  for (const s of samples) {
    const err = (s.result.error ?? '').replace(/\|/g, '\\|').slice(0, 200);
    out.push(
      `| ${s.caseName} | ${s.step} | ${s.builder} | ${s.run + 1} | ${
        s.result.ok ? s.result.seconds.toFixed(3) : '–'
      } | ${s.result.rssMiB === undefined ? '' : s.result.rssMiB.toFixed(0)} | ${err} |`,
    );
  }
  return out.join('\n');
}

/** Failure messages per (case, step, builder), one line each. */
export function failureList(rows: readonly Row[]): string[] {
  return rows.flatMap((r) =>
    BUILDERS.filter((b) => r.failures[b] !== undefined).map(
      (b) => `- ${r.caseTitle}, ${r.step}, ${b}: ${r.failures[b]}`,
    ),
  );
}
