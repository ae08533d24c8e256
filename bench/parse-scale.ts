/**
 * Parser scaling check: times `parse` on three shapes at 1x/2x/4x size and says whether the
 * time grows linearly. Run: node --import tsx bench/parse-scale.ts
 *   - a mixed Dockerfile (2.5 / 5 / 10 MB): every instruction kind, comments, heredocs, JSON;
 *   - long lines (15 / 30 / 60 KiB): a RUN with quotes, escapes, flags and a heredoc, and an ENV;
 *   - continuation lines (25,000 / 50,000 / 100,000) joined into one RUN.
 * Times are CPU time per parse (best of three rounds), so a busy machine distorts them less.
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

/** A RUN line (with a heredoc, so the shell-word lexer reads all of it) and an ENV line of pairs. */
function longLine(bytes: number): string {
  const unit = `echo "a b" 'c d' e\\ f \${X:-y} && `;
  const pair = 'k="v w" ';
  const run = unit.repeat(Math.floor((bytes - 60) / unit.length));
  const env = pair.repeat(Math.floor((bytes - 10) / pair.length));
  return `FROM a\nRUN --mount=type=bind,target=/x ${run}cat <<EOF\nbody\nEOF\nENV ${env}\n`;
}

function continuations(lines: number): string {
  return `FROM a\nRUN true \\\n${'  && echo line \\\n'.repeat(lines)}  && true\n`;
}

/** CPU milliseconds of one parse: repeated until 50 ms of CPU are spent, best of three rounds. */
function cpuPerParse(text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = process.cpuUsage();
    let runs = 0;
    let spent = 0;
    do {
      parse(text);
      runs++;
      const used = process.cpuUsage(start);
      spent = (used.user + used.system) / 1000;
    } while (spent < 50);
    best = Math.min(best, spent / runs);
  }
  return best;
}

const shapes: { name: string; make: (scale: number) => string; unit: (scale: number) => string }[] = [
  { name: 'mixed Dockerfile', make: (s) => mixed(2.5 * 1024 * 1024 * s), unit: (s) => `${2.5 * s} MB` },
  { name: 'long lines', make: (s) => longLine(15 * 1024 * s), unit: (s) => `${15 * s} KiB` },
  { name: 'continuation lines', make: (s) => continuations(25000 * s), unit: (s) => `${25000 * s} lines` },
];

let allLinear = true;
for (const shape of shapes) {
  const texts = [1, 2, 4].map((s) => shape.make(s));
  parse(texts[0]!); // warm up
  const times = texts.map(cpuPerParse);
  const ratio = times[2]! / times[0]!;
  // Linear growth gives ~4x from 1x to 4x; quadratic gives ~16x. Allow noise up to 8x.
  const linear = ratio < 8;
  allLinear &&= linear;
  const cols = [1, 2, 4].map((s, i) => `${shape.unit(s)}: ${times[i]!.toFixed(3)} ms`).join(', ');
  console.log(`${shape.name}: ${cols}; 4x/1x = ${ratio.toFixed(2)} → ${linear ? 'linear' : 'NOT linear'}`);
}
console.log(allLinear ? 'parse time grows linearly' : 'parse time grows faster than linearly');
process.exitCode = allLinear ? 0 : 1;
