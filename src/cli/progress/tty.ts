import type { BuildEvent } from '../../build/events.ts';
import { seconds } from './human-size.ts';
import { summaryTable } from './plain.ts';

interface Running {
  label: string;
  text: string;
  started: number;
  tail: string[];
}

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TAIL = 5;

/**
 * A live terminal view: finished steps scroll above; below them, each running step with a
 * spinner, its elapsed time and the last lines of its output, redrawn in place.
 */
export function ttyRenderer(
  out: { write(s: string): unknown; columns?: number },
  now: () => number = Date.now,
): { onEvent: (e: BuildEvent) => void; stop: () => void } {
  const running = new Map<number, Running>();
  let drawn = 0;
  let frame = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  const width = () => Math.max(40, (out.columns ?? 100) - 1);
  const clip = (s: string) => (s.length > width() ? `${s.slice(0, width() - 1)}…` : s);

  function erase(): void {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  }
  function draw(): void {
    erase();
    const lines: string[] = [];
    for (const r of running.values()) {
      lines.push(clip(`${SPIN[frame % SPIN.length]} [${r.label}] ${r.text}  ${seconds(now() - r.started)}`));
      for (const t of r.tail) lines.push(clip(`    │ ${t}`));
    }
    if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
    lastDraw = now();
  }
  function above(s: string): void {
    erase();
    out.write(s);
    draw();
  }
  const timer = setInterval(() => {
    frame++;
    if (running.size > 0) draw();
  }, 100);
  timer.unref();

  function onEvent(e: BuildEvent): void {
    switch (e.type) {
      case 'warning':
        above(
          `\x1b[33mWARN\x1b[0m ${e.warning.rule}: ${e.warning.message} (${e.file}:${e.warning.ranges[0]?.start.line ?? '?'})\n`,
        );
        break;
      case 'step-start':
        running.set(e.id, { label: e.label, text: e.text, started: now(), tail: [] });
        draw();
        break;
      case 'step-cached': {
        const r = running.get(e.id);
        running.delete(e.id);
        if (r) above(clip(`\x1b[36m✔\x1b[0m [${r.label}] ${r.text}  CACHED`) + '\n');
        break;
      }
      case 'step-output': {
        const r = running.get(e.id);
        if (r) {
          r.tail.push(e.line);
          if (r.tail.length > TAIL) r.tail.shift();
          if (now() - lastDraw >= 50) draw();
        }
        break;
      }
      case 'step-done':
      case 'step-error': {
        const r = running.get(e.id);
        running.delete(e.id);
        if (r) {
          const mark = e.type === 'step-done' ? '\x1b[32m✔\x1b[0m' : '\x1b[31m✘\x1b[0m';
          above(clip(`${mark} [${r.label}] ${r.text}  ${seconds(e.ms)}`) + '\n');
        }
        break;
      }
      case 'info':
        above(`${e.message}\n`);
        break;
      case 'done':
        above(
          `built ${e.summary.imageId} in ${seconds(e.summary.ms)}\n${e.summary.tags.map((t) => `tagged ${t}\n`).join('')}${summaryTable(e.summary.sizes)}`,
        );
        break;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  }
  return {
    onEvent,
    stop: () => {
      clearInterval(timer);
      erase();
    },
  };
}
