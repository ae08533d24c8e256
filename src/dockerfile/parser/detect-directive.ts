import type { Range } from '../../errors/index.ts';
import { type Directive, DirectiveParser, scanLines } from './directive-parser.ts';
import { goJsonParse } from './go-json.ts';

/** A directive found by detectSyntax/parseDirective. */
export interface DetectedDirective {
  /** The value up to its first space (`dockerfile:1 // opts` → `dockerfile:1`). */
  ref: string;
  /** The whole value. */
  cmdline: string;
  /** The directive's line; 1-based, except a JSON first line without shebang, which is 0 as in BuildKit. */
  ranges: Range[];
}

function fromParser(key: string, text: string, parser: DirectiveParser): DetectedDirective | undefined {
  const lines = scanLines(text);
  while (!parser.done) {
    const next = lines.next();
    if (next.done === true) break;
    let d: Directive | undefined;
    try {
      d = parser.parseLine(next.value);
    } catch {
      // A repeated directive ends the scan; what came before it still counts (as in BuildKit).
      return undefined;
    }
    if (d?.name === key) return { ref: d.value.split(' ', 1)[0]!, cmdline: d.value, ranges: d.ranges };
  }
  return undefined;
}

function find(key: string, text: string, anyFormat: boolean): DetectedDirective | undefined {
  if (text.startsWith('\ufeff')) text = text.slice(1);
  let line = 0;
  const nl = text.indexOf('\n');
  if ((nl < 0 ? text : text.slice(0, nl)).startsWith('#!')) {
    text = nl < 0 ? '' : text.slice(nl + 1);
    line = 1;
  }
  const hash = fromParser(key, text, new DirectiveParser({ line }));
  if (hash !== undefined || !anyFormat) return hash;
  const slashes = fromParser(key, text, new DirectiveParser({ line, comment: '//' }));
  if (slashes !== undefined) return slashes;
  // Only an object can hold the key; skip the decoder (and its exception) for anything else.
  if (!/^[\t\n\r ]*\{/.test(text)) return undefined;
  const json = goJsonParse(text);
  const obj = json?.value;
  if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
    const v = (obj as Record<string, unknown>)[key];
    if (typeof v === 'string' && Object.hasOwn(obj, key)) {
      return { ref: v, cmdline: v, ranges: [{ start: { line, character: 0 }, end: { line, character: 0 } }] };
    }
  }
  return undefined;
}

/**
 * BuildKit's `DetectSyntax`: the `syntax` directive as `# syntax=`, `//syntax=` or a JSON
 * first document `{"syntax": "..."}`, after an optional BOM and `#!` shebang line.
 */
export function detectSyntax(text: string): DetectedDirective | undefined {
  return find('syntax', text, true);
}

/** BuildKit's `ParseDirective(key, dt)`: only the `# key=` form (after BOM and shebang). */
export function parseDirective(key: string, text: string): DetectedDirective | undefined {
  return find(key, text, false);
}
