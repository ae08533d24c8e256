/**
 * Parser scaling check: times `parse` on three shapes at 1x/2x/4x size and says whether the
 * time grows linearly. Run: node --import tsx bench/parse-scale.ts
 *   - a mixed Dockerfile (2.5 / 5 / 10 MB): every instruction kind, comments, heredocs, JSON;
 *   - one long line (15 / 30 / 60 KiB): a RUN with quotes, escapes and flags;
 *   - continuation lines (25,000 / 50,000 / 100,000) joined into one RUN.
 * Each point is the best of several runs, so a busy machine distorts it less.
 */
import { parse } from '../src/dockerfile/parser/index.ts';

const BLOCK = [
  '# build stage',
  'FROM registry.example.com/base:1.2 AS build',
  'ARG VERSION="1 2" OTHER',
  'ENV A=1 B="two words" C=three\\ four',
  'LABEL org.opencontainers.image.title="x" version=1',
  'RUN --mount=type=cache,target=/root/.cache apt-get update && \\',
  '    apt-get install -y curl \\',
  '    # a comment inside a continuation',
  '    git',
  'COPY --from=build --chown=1:1 ["src dir/", "/app/"]',
  'RUN <<EOF',
  'echo "heredoc body" $HOME',
  'EOF',
  'HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]',
  'ONBUILD RUN echo onbuild',
  'CMD ["node", "server.js"]',
  '',
].join('\n');

function mixed(bytes: number): string {
  return BLOCK.repeat(Math.ceil(bytes / BLOCK.length));
}

function longLine(bytes: number): string {
  const unit = 'echo "a b" \'c d\' e\\ f && ';
  return `FROM a\nRUN --mount=type=bind,target=/x ${unit.repeat(Math.floor((bytes - 40) / unit.length))}true\n`;
}

function continuations(lines: number): string {
  return `FROM a\nRUN true \\\n${'  && echo line \\\n'.repeat(lines)}  && true\n`;
}

function bestOf(runs: number, text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    parse(text);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

interface Shape {
  name: string;
  sizes: [string, string][];
}

const shapes: { name: string; make: (scale: number) => string; unit: (scale: number) => string }[] = [
  { name: 'mixed Dockerfile', make: (s) => mixed(2.5 * 1024 * 1024 * s), unit: (s) => `${2.5 * s} MB` },
  { name: 'one long line', make: (s) => longLine(15 * 1024 * s), unit: (s) => `${15 * s} KiB` },
  { name: 'continuation lines', make: (s) => continuations(25000 * s), unit: (s) => `${25000 * s} lines` },
];

let allLinear = true;
for (const shape of shapes) {
  const texts = [1, 2, 4].map((s) => shape.make(s));
  parse(texts[0]!); // warm up
  const times = texts.map((t) => bestOf(3, t));
  const ratio = times[2]! / times[0]!;
  // Linear growth gives ~4x from 1x to 4x; quadratic gives ~16x. Allow noise up to 8x.
  const linear = ratio < 8;
  allLinear &&= linear;
  const cols = [1, 2, 4].map((s, i) => `${shape.unit(s)}: ${times[i]!.toFixed(1)} ms`).join(', ');
  console.log(`${shape.name}: ${cols}; 4x/1x = ${ratio.toFixed(2)} → ${linear ? 'linear' : 'NOT linear'}`);
}
console.log(allLinear ? 'parse time grows linearly' : 'parse time grows faster than linearly');
process.exitCode = allLinear ? 0 : 1;

export type { Shape };
