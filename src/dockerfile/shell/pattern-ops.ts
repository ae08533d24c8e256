import { ShellFailure } from './shell-error.ts';
import { compileShellPattern, PatternMatcher } from './shell-pattern.ts';

/** Compiles with BuildKit's message for a rejected pattern: `invalid pattern (p) in substitution: ...`. */
function compile(pattern: string, greedy: boolean) {
  try {
    return compileShellPattern(pattern, greedy);
  } catch (e) {
    if (e instanceof ShellFailure) {
      throw new ShellFailure(e.code, `invalid pattern (${pattern}) in substitution: ${e.message}`);
    }
    throw e;
  }
}

/** `${v#p}` / `${v##p}`: `value` without the shortest (longest) prefix matching `pattern`. */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const text = Array.from(value);
  const end = new PatternMatcher(compile(pattern, greedy), text).matchAt(0);
  return end < 0 ? value : text.slice(end).join('');
}

/**
 * `${v%p}` / `${v%%p}`: `value` without the shortest (longest) suffix matching `pattern`.
 * As BuildKit: both are reversed (escapes kept before the character they escape) and the
 * prefix is trimmed.
 */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const reversed = trimPrefix(reversePattern(pattern), Array.from(value).reverse().join(''), greedy);
  return Array.from(reversed).reverse().join('');
}

/** Reverses a pattern by code points, keeping each `\` in front of the character it escapes. */
export function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out = new Array<string>(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    const ch = chars[i] as string;
    const at = last - i;
    if (ch === '\\' && i !== last) {
      out[at - 1] = ch;
      out[at] = chars[i + 1] as string;
      i += 2;
    } else {
      out[at] = ch;
      i++;
    }
  }
  return out.join('');
}

/** `${v/p/r}`: the first (leftmost, longest) match of `pattern` replaced by `replacement` verbatim. */
export function replaceFirst(pattern: string, value: string, replacement: string): string {
  const text = Array.from(value);
  const m = new PatternMatcher(compile(pattern, true), text).find(0);
  if (m === undefined) return value;
  return text.slice(0, m[0]).join('') + replacement + text.slice(m[1]).join('');
}

/**
 * `${v//p/r}`: every match replaced, with Go's `Regexp.ReplaceAllString` rules (BuildKit calls
 * it): an empty match right after a match is not replaced, the search always advances, and in
 * `replacement` `$0`/`${0}` stand for the matched text, `$$` for `$`, other `$name` for nothing.
 */
export function replaceAll(pattern: string, value: string, replacement: string): string {
  const text = Array.from(value);
  const matcher = new PatternMatcher(compile(pattern, true), text);
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= text.length) {
    const m = matcher.find(pos);
    if (m === undefined) break;
    const [start, end] = m;
    out += text.slice(lastEnd, start).join('');
    if (end > lastEnd || start === 0) out += expandTemplate(replacement, text.slice(start, end).join(''));
    lastEnd = end;
    pos = end > pos ? end : pos + 1;
  }
  return out + text.slice(lastEnd).join('');
}

const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;

/** Go's `Regexp.Expand` for a pattern without groups: only group 0 (the match) exists. */
export function expandTemplate(template: string, match: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extractName(rest);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    if (ref.name === '0') out += match;
  }
  return out + rest;
}

function extractName(s: string): { name: string; rest: string } | undefined {
  const chars = Array.from(s);
  let i = 0;
  const brace = chars[0] === '{';
  if (brace) i++;
  const start = i;
  while (i < chars.length && NAME_CHAR.test(chars[i] as string)) i++;
  if (i === start) return undefined;
  const name = chars.slice(start, i).join('');
  if (brace) {
    if (chars[i] !== '}') return undefined;
    i++;
  }
  return { name, rest: chars.slice(i).join('') };
}
