/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and
 * self time per source file. Used for docs/performance.md's "where the time goes".
 *
 *   node --cpu-prof --cpu-prof-dir /tmp/prof bin/gantry --root R build ...
 *   node --import tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 25]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
}

/** Self time (ms) per function (`name file:line`) and per file, from sample deltas. */
export function selfTimes(p: Profile): { byFunction: SelfTime[]; byFile: SelfTime[]; totalMs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const f = byId.get(id)?.callFrame;
    if (!f) return;
    const url = f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/');
    const where = url === '' ? '' : ` ${url}:${f.lineNumber + 1}`;
    const key = `${f.functionName || '(anonymous)'}${where}`;
    fn.set(key, (fn.get(key) ?? 0) + ms);
    const fk = url === '' ? `(${f.functionName || 'native'})` : url;
    file.set(fk, (file.get(fk) ?? 0) + ms);
  });
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return { byFunction: sorted(fn), byFile: sorted(file), totalMs: total };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const top = Number(values.top);
  for (const path of positionals) {
    const p = JSON.parse(await readFile(path, 'utf8')) as Profile;
    const { byFunction, byFile, totalMs } = selfTimes(p);
    const wall = (p.endTime - p.startTime) / 1000;
    console.log(`${path}: profile ${wall.toFixed(0)} ms, sampled ${totalMs.toFixed(0)} ms\n`);
    console.log('| self ms | % | function |\n| ---: | ---: | --- |');
    for (const s of byFunction.slice(0, top)) {
      console.log(`| ${s.ms.toFixed(0)} | ${((100 * s.ms) / totalMs).toFixed(1)} | ${s.name} |`);
    }
    console.log('\n| self ms | % | file |\n| ---: | ---: | --- |');
    for (const s of byFile.slice(0, top)) {
      console.log(`| ${s.ms.toFixed(0)} | ${((100 * s.ms) / totalMs).toFixed(1)} | ${s.name} |`);
    }
  }
}
