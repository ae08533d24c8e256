import type { BuildEvent } from '../../build/events.ts';
import { humanSize, seconds } from './human-size.ts';

/** BuildKit-like numbered lines: `#3 [builder 2/4] COPY server.go /build/`, `#3 DONE 0.1s`. */
export function plainRenderer(write: (s: string) => void): (e: BuildEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'warning':
        write(
          `WARN: ${e.warning.rule}: ${e.warning.message} (${e.file}:${e.warning.ranges[0]?.start.line ?? '?'})\n`,
        );
        break;
      case 'step-start':
        write(`#${e.id} [${e.label}] ${e.text}\n`);
        break;
      case 'step-cached':
        write(`#${e.id} CACHED\n`);
        break;
      case 'step-output':
        write(`#${e.id} ${e.line}\n`);
        break;
      case 'step-done':
        write(`#${e.id} DONE ${seconds(e.ms)}\n`);
        break;
      case 'step-error':
        write(`#${e.id} ERROR: ${e.message}\n`);
        break;
      case 'info':
        write(`${e.message}\n`);
        break;
      case 'done': {
        const s = e.summary;
        write(`built ${s.imageId} in ${seconds(s.ms)}\n`);
        for (const t of s.tags) write(`tagged ${t}\n`);
        write(summaryTable(s.sizes));
        break;
      }
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  };
}

export function summaryTable(sizes: { stage: string; bytes: number; layers: number }[]): string {
  if (sizes.length === 0) return '';
  const w = Math.max(...sizes.map((s) => s.stage.length), 5);
  const lines = sizes.map(
    (s) =>
      `  ${s.stage.padEnd(w)}  ${humanSize(s.bytes).padStart(9)}  ${s.layers} layer${s.layers === 1 ? '' : 's'}`,
  );
  return `size:\n${lines.join('\n')}\n`;
}
