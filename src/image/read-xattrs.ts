import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { GantryError } from '../errors/gantry-error.ts';

/** Undoes getfattr's quoting of file names: `\ooo` octal escapes (`\134` is a backslash). */
export function unquoteGetfattr(s: string): Buffer {
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'latin1');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0;
    if (
      b === 0x5c &&
      i + 3 < raw.length + 0 &&
      /^[0-7]{3}$/.test(raw.subarray(i + 1, i + 4).toString('latin1'))
    ) {
      bytes.push(Number.parseInt(raw.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else bytes.push(b);
  }
  return Buffer.from(bytes);
}

/** Decodes one `name=value` line of `getfattr -e base64` output. */
export function parseXattrLine(line: string): [string, Buffer] | undefined {
  const eq = line.indexOf('=');
  if (eq <= 0) return undefined;
  const name = unquoteGetfattr(line.slice(0, eq)).toString('utf8');
  const value = line.slice(eq + 1);
  if (value.startsWith('0s')) return [name, Buffer.from(value.slice(2), 'base64')];
  if (value.startsWith('0x')) return [name, Buffer.from(value.slice(2), 'hex')];
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    return [name, unquoteGetfattr(value.slice(1, -1))];
  }
  return [name, Buffer.from(value, 'utf8')];
}

/**
 * Reads every extended attribute below `root` (not following symlinks) with ONE `getfattr`
 * process. Returns a map from the path relative to `root` ('' for root itself) to its xattrs.
 * Attributes for which `skip(name)` is true are left out.
 */
export async function readXattrs(
  root: string,
  skip: (name: string) => boolean = () => false,
): Promise<Map<string, Record<string, Buffer>>> {
  const result = new Map<string, Record<string, Buffer>>();
  const child = spawn(
    'getfattr',
    ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'base64', '--absolute-names', root],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    if (stderr.join('').length < 4096) stderr.push(s);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const prefix = root.endsWith('/') ? root : `${root}/`;
  let current: Record<string, Buffer> | undefined;
  try {
    for await (const line of createInterface({ input: child.stdout.setEncoding('latin1') })) {
      if (line.startsWith('# file: ')) {
        const abs = unquoteGetfattr(line.slice('# file: '.length)).toString('utf8');
        const rel =
          abs === root || `${abs}/` === prefix ? '' : abs.startsWith(prefix) ? abs.slice(prefix.length) : abs;
        current = {};
        result.set(rel, current);
        continue;
      }
      if (line === '' || current === undefined) continue;
      const parsed = parseXattrLine(line);
      if (parsed !== undefined && !skip(parsed[0])) current[parsed[0]] = parsed[1];
    }
    const code = await exited;
    if (code !== 0) {
      throw new GantryError('E_XATTR_READ', `getfattr failed reading extended attributes under ${root}`, {
        hint: `getfattr said: ${stderr.join('').trim() || `exit code ${code}`}`,
      });
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GantryError(
        'E_GETFATTR_MISSING',
        'getfattr is not installed; it is needed to read extended attributes',
        {
          hint: 'install the "attr" package (apt-get install attr)',
          cause: e,
        },
      );
    }
    throw e;
  }
  for (const [k, v] of result) if (Object.keys(v).length === 0) result.delete(k);
  return result;
}
