import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encodeTarHeader, endOfArchive, padding, TypeFlag } from '../image/tar-header.ts';

/** One member of an export archive: a directory, or a file streamed from `open()`. */
export interface ArchiveMember {
  name: string;
  /** Absent for a directory. */
  file?: { size: number; open: () => AsyncIterable<Uint8Array> };
}

const MTIME = 0;

async function* archiveBytes(
  members: AsyncIterable<ArchiveMember> | Iterable<ArchiveMember>,
): AsyncGenerator<Uint8Array> {
  for await (const m of members) {
    if (m.file === undefined) {
      yield encodeTarHeader({
        name: `${m.name}/`,
        typeflag: TypeFlag.dir,
        mode: 0o755,
        uid: 0,
        gid: 0,
        size: 0,
        mtime: MTIME,
      });
      continue;
    }
    const { size } = m.file;
    yield encodeTarHeader({
      name: m.name,
      typeflag: TypeFlag.file,
      mode: 0o644,
      uid: 0,
      gid: 0,
      size,
      mtime: MTIME,
    });
    let written = 0;
    for await (const chunk of m.file.open()) {
      written += chunk.length;
      if (written > size) throw new Error(`archive member ${m.name} is longer than its ${size} bytes`);
      yield chunk;
    }
    if (written !== size) throw new Error(`archive member ${m.name} has ${written} of its ${size} bytes`);
    const pad = padding(size);
    if (pad > 0) yield Buffer.alloc(pad);
  }
  yield endOfArchive();
}

/** Streams `members` into a tar at `dest`, written to a temporary name and renamed when complete. */
export async function writeArchive(
  dest: string,
  members: AsyncIterable<ArchiveMember> | Iterable<ArchiveMember>,
): Promise<void> {
  const tmp = `${dest}.tmp-${randomUUID()}`;
  try {
    await pipeline(Readable.from(archiveBytes(members)), createWriteStream(tmp));
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** A member holding bytes already in memory (JSON files). */
export function bytesMember(name: string, bytes: Buffer): ArchiveMember {
  return {
    name,
    file: {
      size: bytes.length,
      open: async function* () {
        yield bytes;
      },
    },
  };
}
