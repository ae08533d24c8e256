/**
 * Value parsers with Go's exact acceptance rules (strconv, time.ParseDuration, go-units
 * RAMInBytes), because BuildKit validates instruction flags with them. Each returns the value
 * or throws a plain-text Error carrying Go's message; callers wrap it in a coded error.
 */

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`);
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** strconv.ParseUint with an explicit base (no prefixes, no underscores) and bit size. */
export function parseGoUint(s: string, base: number, bits: number): number {
  const fail = (why: string): never => {
    throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: ${why}`);
  };
  if (s === '') fail('invalid syntax');
  let n = 0n;
  const max = (1n << BigInt(bits)) - 1n;
  let overflow = false;
  for (const ch of s.toLowerCase()) {
    const d = DIGITS.indexOf(ch);
    if (d < 0 || d >= base) fail('invalid syntax');
    n = n * BigInt(base) + BigInt(d);
    if (n > max) overflow = true;
  }
  if (overflow) fail('value out of range');
  return Number(n);
}

/** strconv.ParseInt(s, 10, bits). */
export function parseGoInt(s: string, bits: number): number {
  const fail = (why: string): never => {
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: ${why}`);
  };
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return fail('invalid syntax');
  const v = BigInt(m[2]!) * (m[1] === '-' ? -1n : 1n);
  const lim = 1n << BigInt(bits - 1);
  if (v >= lim || v < -lim) fail('value out of range');
  return Number(v);
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION = (1n << 63n) - 1n;

/** time.ParseDuration: returns nanoseconds (e.g. "1m30s" → 90e9). */
export function parseGoDuration(orig: string): number {
  const invalid = (): never => {
    throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  };
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const intPart = m[1]!;
    const fracPart = m[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) invalid();
    s = s.slice(m[0].length);
    let i = 0;
    while (i < s.length && !/[0-9.]/.test(s[i]!)) i++;
    if (i === 0) throw new Error(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = UNIT_NS[u];
    if (unit === undefined)
      throw new Error(`time: unknown unit ${JSON.stringify(u)} in duration ${JSON.stringify(orig)}`);
    let v = BigInt(intPart === '' ? '0' : intPart) * unit;
    if (fracPart !== undefined && fracPart !== '') {
      const scale = 10n ** BigInt(fracPart.length);
      v += (BigInt(fracPart) * unit) / scale;
    }
    total += v;
    if (total > MAX_DURATION) invalid();
  }
  return Number(neg ? -total : total);
}

const BINARY: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** go-units RAMInBytes: "64m", "1.5 GiB", "512" → bytes (binary multiples). */
export function parseRamInBytes(size: string): number {
  const bad = (): never => {
    throw new Error(`invalid size: '${size}'`);
  };
  let num: string;
  let sfx: string;
  const sp = size.indexOf(' ');
  if (sp !== -1) {
    num = size.slice(0, sp);
    sfx = size.slice(sp + 1);
  } else {
    let sep = -1;
    for (let i = size.length - 1; i >= 0; i--) {
      if (/[0-9.]/.test(size[i]!)) {
        sep = i;
        break;
      }
    }
    if (sep === -1) bad();
    num = size.slice(0, sep + 1);
    sfx = size.slice(sep + 1);
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) bad();
  let n = Number(num);
  if (n < 0) bad();
  if (sfx === '') return Math.trunc(n);
  const s = sfx.toLowerCase();
  const badSuffix = (): never => {
    throw new Error(`invalid suffix: '${s}'`);
  };
  if (s.length > 3) badSuffix();
  if (s[0] === 'b') {
    if (s.length > 1) badSuffix();
    return Math.trunc(n);
  }
  const mul = BINARY[s[0]!];
  if (mul === undefined) return badSuffix();
  n *= mul;
  if ((s.length === 2 && s[1] !== 'b') || (s.length === 3 && s.slice(1) !== 'ib')) badSuffix();
  return Math.trunc(n);
}

/**
 * One CSV record (tonistiigi/go-csvvalue, encoding/csv rules): fields split on commas,
 * double-quoted fields with `""` escapes; a bare quote or unterminated quote is an error; an
 * empty input is `EOF`.
 */
export function parseCsvFields(input: string): string[] {
  let line = input;
  if (line.endsWith('\r\n')) line = line.slice(0, -2);
  else if (line.endsWith('\n')) line = line.slice(0, -1);
  if (line === '') throw new Error('EOF');
  const out: string[] = [];
  let pos = 0;
  const err = (at: number, what: string): never => {
    throw new Error(`parse error on line 1, column ${at + 1}: ${what}`);
  };
  for (;;) {
    if (line[pos] !== '"') {
      const i = line.indexOf(',', pos);
      const field = i === -1 ? line.slice(pos) : line.slice(pos, i);
      const q = field.indexOf('"');
      if (q !== -1) err(pos + q, 'bare " in non-quoted-field');
      out.push(field);
      if (i === -1) return out;
      pos = i + 1;
      continue;
    }
    pos++;
    let field = '';
    for (;;) {
      const i = line.indexOf('"', pos);
      if (i === -1) return err(pos, 'extraneous or missing " in quoted-field');
      field += line.slice(pos, i);
      pos = i + 1;
      if (line[pos] === '"') {
        field += '"';
        pos++;
      } else if (line[pos] === ',') {
        out.push(field);
        pos++;
        break;
      } else if (pos >= line.length) {
        out.push(field);
        return out;
      } else {
        err(pos - 1, 'extraneous or missing " in quoted-field');
      }
    }
  }
}
