import { spawn } from 'node:child_process';
import { GantryError } from '../errors/gantry-error.ts';

/** Quotes a file or attribute name for a `setfattr --restore` file: `\ooo` for anything unusual. */
export function quoteForSetfattr(name: Buffer): string {
  let out = '';
  for (const b of name) {
    const plain = b > 0x20 && b < 0x7f && b !== 0x5c && b !== 0x3d;
    out += plain ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** The text of a `setfattr --restore` file (getfattr's dump format, values in base64). */
export function restoreFileText(items: { path: string; xattrs: Record<string, Buffer> }[]): string {
  let text = '';
  for (const { path, xattrs } of items) {
    text += `# file: ${quoteForSetfattr(Buffer.from(path))}\n`;
    for (const key of Object.keys(xattrs).sort()) {
      text += `${quoteForSetfattr(Buffer.from(key))}=0s${(xattrs[key] ?? Buffer.alloc(0)).toString('base64')}\n`;
    }
    text += '\n';
  }
  return text;
}

/** Sets the given xattrs (absolute paths, symlinks not followed) with ONE `setfattr --restore` process. */
export async function restoreXattrs(
  items: { path: string; xattrs: Record<string, Buffer> }[],
): Promise<void> {
  if (items.length === 0) return;
  const child = spawn('setfattr', ['-h', '--restore=-'], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    if (stderr.length < 4096) stderr += s;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  child.stdin.on('error', () => {});
  child.stdin.end(restoreFileText(items), 'latin1');
  let code: number;
  try {
    code = await exited;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GantryError(
        'E_SETFATTR_MISSING',
        'setfattr is not installed; it is needed to set extended attributes',
        {
          hint: 'install the "attr" package (apt-get install attr)',
          cause: e,
        },
      );
    }
    throw e;
  }
  if (code !== 0) {
    throw new GantryError('E_XATTR_WRITE', `setfattr could not set extended attributes: ${stderr.trim()}`, {
      hint: 'the destination file system may not support these attributes (tmpfs lacks user.*; trusted.* needs root)',
    });
  }
}
