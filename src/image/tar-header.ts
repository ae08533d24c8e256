/**
 * USTAR header blocks with PAX extended headers where a field does not fit: long names and link
 * names, non-ASCII names, sizes of 8 GiB and more, big ids, and xattrs as `SCHILY.xattr.*`.
 * Written here rather than with tar-stream because layer tars need byte-exact control (binary
 * xattr values, empty uname/gname, deterministic PAX header names) that tar-stream's string-based
 * PAX encoding does not give.
 */
export const BLOCK = 512;

/** Tar type flags, as characters. */
export const TypeFlag = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
  paxLocal: 'x',
  paxGlobal: 'g',
  gnuLongName: 'L',
  gnuLongLink: 'K',
} as const;

export interface TarHeader {
  name: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Record<string, Buffer>;
}

const MAX_OCTAL_7 = 0o7777777;
const MAX_OCTAL_11 = 0o77777777777;

function isPlainAscii(s: string): boolean {
  return /^[\x01-\x7f]*$/.test(s);
}

function writeString(buf: Buffer, offset: number, length: number, s: string): void {
  buf.write(s, offset, length, 'utf8');
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits, zero padded, then NUL (as Go's archive/tar writes them).
  const s = Math.trunc(value)
    .toString(8)
    .padStart(length - 1, '0');
  buf.write(s, offset, length - 1, 'ascii');
  buf[offset + length - 1] = 0;
}

/** One PAX record: `<len> <key>=<value>\n`, where len counts the whole record in bytes. */
export function paxRecord(key: string, value: Buffer | string): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

export function padding(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

function ustarBlock(h: TarHeader, name: string, linkname: string): Buffer {
  const buf = Buffer.alloc(BLOCK);
  writeString(buf, 0, 100, name);
  writeOctal(buf, 100, 8, h.mode & 0o7777);
  writeOctal(buf, 108, 8, h.uid > MAX_OCTAL_7 ? 0 : h.uid);
  writeOctal(buf, 116, 8, h.gid > MAX_OCTAL_7 ? 0 : h.gid);
  writeOctal(buf, 124, 12, h.size > MAX_OCTAL_11 ? 0 : h.size);
  writeOctal(buf, 136, 12, Math.max(0, Math.min(h.mtime, MAX_OCTAL_11)));
  buf.fill(0x20, 148, 156);
  buf.write(h.typeflag, 156, 1, 'ascii');
  writeString(buf, 157, 100, linkname);
  buf.write('ustar\x0000', 257, 8, 'ascii');
  // uname and gname (265, 297) stay empty.
  writeOctal(buf, 329, 8, h.devmajor ?? 0);
  writeOctal(buf, 337, 8, h.devminor ?? 0);
  let sum = 0;
  for (const byte of buf) sum += byte;
  buf.write(`${sum.toString(8).padStart(6, '0')}\x00 `, 148, 8, 'ascii');
  return buf;
}

/** The header blocks for one entry: a PAX header (when needed) and the USTAR block. */
export function encodeTarHeader(h: TarHeader): Buffer {
  const records: Buffer[] = [];
  let name = h.name;
  let linkname = h.linkname ?? '';
  if (Buffer.byteLength(name) > 100 || !isPlainAscii(name)) {
    records.push(paxRecord('path', name));
    name = Buffer.from(name)
      .subarray(0, 100)
      .toString('latin1')
      .replace(/[^\x01-\x7f]/g, '_');
  }
  if (Buffer.byteLength(linkname) > 100 || !isPlainAscii(linkname)) {
    records.push(paxRecord('linkpath', linkname));
    linkname = Buffer.from(linkname)
      .subarray(0, 100)
      .toString('latin1')
      .replace(/[^\x01-\x7f]/g, '_');
  }
  if (h.size > MAX_OCTAL_11) records.push(paxRecord('size', String(h.size)));
  if (h.uid > MAX_OCTAL_7) records.push(paxRecord('uid', String(h.uid)));
  if (h.gid > MAX_OCTAL_7) records.push(paxRecord('gid', String(h.gid)));
  for (const key of Object.keys(h.xattrs ?? {}).sort()) {
    records.push(paxRecord(`SCHILY.xattr.${key}`, h.xattrs?.[key] ?? Buffer.alloc(0)));
  }
  const main = ustarBlock(h, name, linkname);
  if (records.length === 0) return main;
  const pax = Buffer.concat(records);
  const base = name.replace(/\/$/, '').split('/').pop() ?? '';
  const paxName = `PaxHeaders.0/${base}`.slice(0, 100);
  const paxHeader = ustarBlock(
    {
      name: paxName,
      typeflag: TypeFlag.paxLocal,
      mode: 0o644,
      uid: 0,
      gid: 0,
      size: pax.length,
      mtime: h.mtime,
    },
    paxName,
    '',
  );
  return Buffer.concat([paxHeader, pax, Buffer.alloc(padding(pax.length)), main]);
}

/** The two zero blocks that end an archive. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(BLOCK * 2);
}
