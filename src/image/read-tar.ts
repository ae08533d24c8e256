import { GantryError } from '../errors/gantry-error.ts';
import { BLOCK, padding, TypeFlag } from './tar-header.ts';

/** A decoded tar entry header, with PAX and GNU long-name extensions already applied. */
export interface TarEntryHeader {
  name: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  xattrs: Record<string, Buffer>;
}

export interface TarEntry {
  header: TarEntryHeader;
  /** The entry's content. Read it before asking for the next entry, or it is skipped. */
  body: AsyncIterable<Buffer>;
}

/** Pulls exact byte counts out of a chunked source. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private readonly it: AsyncIterator<Uint8Array>;
  private done = false;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.it = (async function* () {
      yield* source;
    })();
  }

  private async fill(n: number): Promise<void> {
    while (this.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        const b = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
        this.buffered.push(b);
        this.length += b.length;
      }
    }
  }

  /** Up to `max` bytes (fewer only at the end of the source). */
  async readUpTo(max: number): Promise<Buffer> {
    await this.fill(1);
    const first = this.buffered[0];
    if (first === undefined) return Buffer.alloc(0);
    if (first.length <= max) {
      this.buffered.shift();
      this.length -= first.length;
      return first;
    }
    this.buffered[0] = first.subarray(max);
    this.length -= max;
    return first.subarray(0, max);
  }

  /** Exactly `n` bytes, or fewer if the source ends first. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const parts: Buffer[] = [];
    let want = n;
    while (want > 0) {
      const chunk = await this.readUpTo(want);
      if (chunk.length === 0) break;
      parts.push(chunk);
      want -= chunk.length;
    }
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts);
  }

  /** Stops reading: the source's iterator is returned, which closes a stream source. */
  async close(): Promise<void> {
    await this.it.return?.();
  }

  async skip(n: number): Promise<void> {
    let want = n;
    while (want > 0) {
      const chunk = await this.readUpTo(Math.min(want, 1 << 20));
      if (chunk.length === 0) throw truncated();
      want -= chunk.length;
    }
  }
}

function truncated(): GantryError {
  return new GantryError('E_TAR_TRUNCATED', 'the layer tar ends in the middle of an entry', {
    hint: 'the blob is incomplete or corrupt; pull or rebuild the image',
  });
}

function corrupt(what: string): GantryError {
  return new GantryError('E_TAR_CORRUPT', `the layer tar has an invalid header: ${what}`, {
    hint: 'the blob is not a tar (or not a supported compression); check the layer media type',
  });
}

function cString(buf: Buffer, offset: number, length: number): string {
  const field = buf.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function numeric(buf: Buffer, offset: number, length: number): number {
  const field = buf.subarray(offset, offset + length);
  if (field[0] !== undefined && (field[0] & 0x80) !== 0) {
    // base-256, positive only (negative values are invalid for every field we read).
    if (field[0] === 0xff) throw corrupt('negative base-256 number');
    let n = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw corrupt(`bad octal number ${JSON.stringify(text)}`);
  return Number.parseInt(text, 8);
}

function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number.parseInt(data.subarray(pos, space).toString('ascii'), 10);
    if (!Number.isSafeInteger(len) || len <= 0 || pos + len > data.length) throw corrupt('bad PAX record');
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq === -1) throw corrupt('PAX record without "="');
    out.set(record.subarray(0, eq).toString('utf8'), Buffer.from(record.subarray(eq + 1)));
    pos += len;
  }
  return out;
}

function paxNumber(v: Buffer, key: string): number {
  const n = Number(v.toString('ascii'));
  if (!Number.isFinite(n) || n < 0) throw corrupt(`bad PAX ${key}`);
  return n;
}

/** Streams the entries of an uncompressed tar. */
export async function* readTar(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source);
  try {
    yield* entries(reader);
  } finally {
    await reader.close();
  }
}

async function* entries(reader: ByteReader): AsyncGenerator<TarEntry> {
  let pax = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await reader.read(BLOCK);
    if (block.length === 0) return;
    if (block.length < BLOCK) throw truncated();
    if (block.every((b) => b === 0)) return;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    if (sum !== numeric(block, 148, 8)) throw corrupt('checksum mismatch');
    const typeflag = block[156] === 0 ? TypeFlag.file : String.fromCharCode(block[156] ?? 0x30);
    const size = numeric(block, 124, 12);
    const paxSize = pax.get('size');
    const dataSize = paxSize !== undefined && !'xgLK'.includes(typeflag) ? paxNumber(paxSize, 'size') : size;
    if (typeflag === TypeFlag.paxLocal || typeflag === TypeFlag.paxGlobal) {
      const data = await reader.read(size);
      if (data.length < size) throw truncated();
      await reader.skip(padding(size));
      // Global headers would apply to all later entries; layers do not use them, so they are ignored.
      if (typeflag === TypeFlag.paxLocal) for (const [k, v] of parsePax(data)) pax.set(k, v);
      continue;
    }
    if (typeflag === TypeFlag.gnuLongName || typeflag === TypeFlag.gnuLongLink) {
      const data = await reader.read(size);
      if (data.length < size) throw truncated();
      await reader.skip(padding(size));
      const text = cString(data, 0, data.length);
      if (typeflag === TypeFlag.gnuLongName) longName = text;
      else longLink = text;
      continue;
    }
    let name = cString(block, 0, 100);
    const magic = block.subarray(257, 263).toString('latin1');
    const prefix = magic === 'ustar\0' ? cString(block, 345, 155) : '';
    if (prefix !== '') name = `${prefix}/${name}`;
    const xattrs: Record<string, Buffer> = {};
    for (const [k, v] of pax) if (k.startsWith('SCHILY.xattr.')) xattrs[k.slice('SCHILY.xattr.'.length)] = v;
    const header: TarEntryHeader = {
      name: pax.get('path')?.toString('utf8') ?? longName ?? name,
      typeflag,
      mode: numeric(block, 100, 8),
      uid: pax.has('uid') ? paxNumber(pax.get('uid') ?? Buffer.alloc(0), 'uid') : numeric(block, 108, 8),
      gid: pax.has('gid') ? paxNumber(pax.get('gid') ?? Buffer.alloc(0), 'gid') : numeric(block, 116, 8),
      size: dataSize,
      mtime: Math.floor(
        pax.has('mtime') ? paxNumber(pax.get('mtime') ?? Buffer.alloc(0), 'mtime') : numeric(block, 136, 12),
      ),
      linkname: pax.get('linkpath')?.toString('utf8') ?? longLink ?? cString(block, 157, 100),
      devmajor: numeric(block, 329, 8),
      devminor: numeric(block, 337, 8),
      xattrs,
    };
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    // As in Go's archive/tar: links, devices, dirs and fifos carry no data whatever their size field says.
    const bodySize = '123456'.includes(header.typeflag) ? 0 : header.size;
    let remaining = bodySize;
    const body: AsyncIterable<Buffer> = {
      async *[Symbol.asyncIterator]() {
        while (remaining > 0) {
          const chunk = await reader.readUpTo(Math.min(remaining, 1 << 20));
          if (chunk.length === 0) throw truncated();
          remaining -= chunk.length;
          yield chunk;
        }
      },
    };
    yield { header, body };
    if (remaining > 0) await reader.skip(remaining);
    await reader.skip(padding(bodySize));
  }
}
