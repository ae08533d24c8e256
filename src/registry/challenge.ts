/** One challenge of a `WWW-Authenticate` header (RFC 7235), e.g. `Bearer realm="...",service="..."`. */
export interface Challenge {
  /** Lower-cased scheme: `basic`, `bearer`, ... */
  scheme: string;
  /** Parameter names lower-cased. */
  params: Record<string, string>;
}

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Parses every challenge in one or more `WWW-Authenticate` header values. Malformed tails are dropped. */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (header === null || header === undefined) return [];
  const out: Challenge[] = [];
  let s = header;
  let current: Challenge | undefined;
  const skip = (re: RegExp): void => {
    s = s.replace(re, '');
  };
  while (s.length > 0) {
    skip(/^[\s,]+/);
    if (s.length === 0) break;
    const tok = TOKEN_RE.exec(s)?.[0];
    if (tok === undefined) break;
    const after = s.slice(tok.length);
    const eq = /^\s*=\s*/.exec(after);
    // `token68` values (`=` padding) only follow a scheme directly; treat `name=` as a parameter.
    if (eq !== null && current !== undefined && !/^\s*=\s*(?:,|$)/.test(after)) {
      s = after.slice(eq[0].length);
      let value: string;
      if (s.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        s = s.slice(i + 1);
      } else {
        value = /^[^,\s]*/.exec(s)?.[0] ?? '';
        s = s.slice(value.length);
      }
      current.params[tok.toLowerCase()] = value;
      continue;
    }
    current = { scheme: tok.toLowerCase(), params: {} };
    out.push(current);
    s = after;
  }
  return out;
}
