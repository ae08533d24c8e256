import { gzipSync } from 'node:zlib';
import { encodeTarHeader, endOfArchive, padding, TypeFlag } from '../tar-header.ts';

/** A tar member for tests; defaults: a regular file, mode 0644, root-owned, mtime 1000. */
export interface TestMember {
  name: string;
  type?: keyof typeof TypeFlag;
  body?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Record<string, Buffer>;
}

/** Builds tar bytes by hand, so tests can write what no honest tool would (hostile layers). */
export function makeTar(members: TestMember[], options: { gzip?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const body = Buffer.from(m.body ?? '');
    parts.push(
      encodeTarHeader({
        name: m.name,
        typeflag: TypeFlag[m.type ?? 'file'],
        mode: m.mode ?? 0o644,
        uid: m.uid ?? 0,
        gid: m.gid ?? 0,
        size: body.length,
        mtime: m.mtime ?? 1000,
        linkname: m.linkname,
        devmajor: m.devmajor,
        devminor: m.devminor,
        xattrs: m.xattrs,
      }),
      body,
      Buffer.alloc(padding(body.length)),
    );
  }
  parts.push(endOfArchive());
  const tar = Buffer.concat(parts);
  return options.gzip === true ? gzipSync(tar) : tar;
}
