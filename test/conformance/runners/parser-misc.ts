/**
 * Runner for parserMisc.json: whole-Dockerfile checks. kind=error: parse must fail with exactly
 * `error_exact` (or a message containing `error_contains`); kind=warnings: parse must succeed
 * and its warnings must contain the listed substrings.
 */
import type { ParseWarning } from '../../../src/dockerfile/ast.ts';
import { parse } from '../../../src/dockerfile/parser/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface MiscCase {
  id: string;
  kind: string;
  dockerfile?: string;
  dockerfile_template?: string;
  template_fill?: Record<string, { repeat: string; times: number } | string>;
  error_exact?: string;
  error_contains?: string;
  [field: string]: unknown;
}

const pass = (id: string): CaseOutcome => ({ id, status: 'pass' });
const fail = (id: string, detail: string): CaseOutcome => ({ id, status: 'fail', detail });

function dockerfileOf(c: MiscCase): string {
  if (c.dockerfile !== undefined) return c.dockerfile;
  let text = c.dockerfile_template ?? '';
  for (const [key, fill] of Object.entries(c.template_fill ?? {})) {
    text = text.split(key).join(typeof fill === 'string' ? fill : fill.repeat.repeat(fill.times));
  }
  return text;
}

function warningText(w: ParseWarning): string {
  return `${w.message}\n${w.detail ?? ''}`;
}

/**
 * Warning expectations, by field shape: a number whose key names a count or the warnings →
 * exact count; a list → warning i contains item i (a substring or a list of substrings);
 * a string under a key saying "contain" → some warning contains it.
 */
function checkWarnings(c: MiscCase, warnings: ParseWarning[]): string | undefined {
  const texts = warnings.map(warningText);
  let checked = false;
  for (const [key, value] of Object.entries(c)) {
    if (typeof value === 'number' && (key.includes('count') || key.includes('warning'))) {
      checked = true;
      if (warnings.length !== value) return `${warnings.length} warnings, want ${value}`;
    } else if (Array.isArray(value) && key.includes('warning')) {
      checked = true;
      for (let i = 0; i < value.length; i++) {
        const subs: unknown[] = Array.isArray(value[i]) ? (value[i] as unknown[]) : [value[i]];
        const text = texts[i];
        if (text === undefined) return `${warnings.length} warnings, want at least ${value.length}`;
        for (const s of subs) {
          if (typeof s !== 'string' || !text.includes(s))
            return `warning ${i}: ${JSON.stringify(text)} lacks ${JSON.stringify(s)}`;
        }
      }
    } else if (typeof value === 'string' && key.includes('contain')) {
      checked = true;
      if (!texts.some((t) => t.includes(value))) return `no warning contains ${JSON.stringify(value)}`;
    }
  }
  return checked ? undefined : 'case names no warning expectation this runner understands';
}

function judge(c: MiscCase): CaseOutcome {
  const text = dockerfileOf(c);
  if (c.kind === 'error') {
    try {
      parse(text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (c.error_exact !== undefined && msg !== c.error_exact)
        return fail(c.id, `error ${JSON.stringify(msg)}, want ${JSON.stringify(c.error_exact)}`);
      if (c.error_contains !== undefined && !msg.includes(c.error_contains))
        return fail(c.id, `error ${JSON.stringify(msg)} lacks ${JSON.stringify(c.error_contains)}`);
      return pass(c.id);
    }
    return fail(c.id, 'expected a parse error, got none');
  }
  if (c.kind === 'warnings') {
    try {
      const problem = checkWarnings(c, parse(text).warnings);
      return problem === undefined ? pass(c.id) : fail(c.id, problem);
    } catch (e) {
      return fail(c.id, `unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return fail(c.id, `unknown kind ${c.kind}`);
}

export const run: Runner = (data) => (data as { cases: MiscCase[] }).cases.map(judge);
