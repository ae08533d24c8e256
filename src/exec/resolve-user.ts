import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { GantryError } from '../errors/index.ts';
import { resolveInRoot } from './resolve-in-root.ts';

export interface ProcessUser {
  uid: number;
  gid: number;
  /** Supplementary groups; the primary gid comes first (as BuildKit sets them). */
  additionalGids: number[];
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}
interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** BuildKit refuses user databases above 10 MiB. */
const MAX_DB_BYTES = 10 << 20;
const MAX_ID = 2 ** 31 - 1;

function toId(s: string | undefined): number {
  if (s === undefined || !/^\d+$/.test(s.trim())) return 0;
  return Number(s.trim());
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const f = line.split(':');
    out.push({ name: f[0] ?? '', uid: toId(f[2]), gid: toId(f[3]) });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const f = line.split(':');
    const members = (f[3] ?? '').split(',').filter((m) => m !== '');
    out.push({ name: f[0] ?? '', gid: toId(f[2]), members });
  }
  return out;
}

function numeric(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= MAX_ID ? n : undefined;
}

function parseIdFast(s: string): number | undefined {
  return s === 'root' ? 0 : numeric(s);
}

function withPrimary(gid: number, sgids: number[]): number[] {
  return sgids.includes(gid) ? sgids : [gid, ...sgids];
}

function unknown(spec: string, kind: 'user' | 'group', name: string): GantryError {
  const file = kind === 'user' ? '/etc/passwd' : '/etc/group';
  return new GantryError(
    kind === 'user' ? 'E_EXEC_UNKNOWN_USER' : 'E_EXEC_UNKNOWN_GROUP',
    `unable to find ${kind} ${name}: no matching entries in the image's ${file} (USER ${spec})`,
    { hint: `Create the ${kind} in an earlier RUN (adduser/addgroup), or use a numeric uid[:gid].` },
  );
}

/**
 * The pure part of `resolveUser`: Docker/BuildKit semantics (runc's GetExecUser).
 * `passwd`/`group` are the file texts, or undefined when the image has none.
 * - "" means root; "uid:gid" (numbers, or "root") is taken as is;
 * - a name must exist in passwd; a number not in passwd is fine (gid 0);
 * - without a group, supplementary groups are the groups listing the user by name;
 * - a group name must exist in group; a number not in group is fine.
 */
export function resolveUserFromDb(
  spec: string,
  passwd: string | undefined,
  group: string | undefined,
): ProcessUser {
  const isDefault = spec === '';
  const text = isDefault ? '0' : spec;
  const colon = text.indexOf(':');
  const userArg = colon < 0 ? text : text.slice(0, colon);
  const groupArg = colon < 0 ? '' : text.slice(colon + 1);
  if (colon >= 0) {
    const u = parseIdFast(userArg);
    const g = parseIdFast(groupArg);
    if (u !== undefined && g !== undefined) return { uid: u, gid: g, additionalGids: [g] };
  }
  try {
    const uidArg = numeric(userArg);
    const users = passwd === undefined ? [] : parsePasswd(passwd);
    const match = users.find((u) => (uidArg !== undefined ? u.uid === uidArg : u.name === userArg));
    let uid = 0;
    let gid = 0;
    let sgids: number[] = [];
    let matchedName = '';
    if (match !== undefined) {
      ({ uid, gid } = match);
      matchedName = match.name;
    } else if (userArg !== '') {
      if (uidArg === undefined) throw unknown(spec, 'user', userArg);
      uid = uidArg;
    }
    const groups = group === undefined ? [] : parseGroup(group);
    if (groupArg !== '') {
      const gidArg = numeric(groupArg);
      const g = groups.find((x) => (gidArg !== undefined ? x.gid === gidArg : x.name === groupArg));
      if (g !== undefined) gid = g.gid;
      else if (gidArg !== undefined) gid = gidArg;
      else throw unknown(spec, 'group', groupArg);
    } else if (matchedName !== '') {
      sgids = groups.filter((g) => g.members.includes(matchedName)).map((g) => g.gid);
    }
    return { uid, gid, additionalGids: withPrimary(gid, sgids) };
  } catch (e) {
    if (isDefault) return { uid: 0, gid: 0, additionalGids: [0] };
    throw e;
  }
}

async function readUserDb(rootfs: string, file: string): Promise<string | undefined> {
  const { hostPath } = await resolveInRoot(rootfs, file);
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    // The path was resolved inside the rootfs already: never follow a link again (O_NOFOLLOW),
    // and never block on a FIFO planted as /etc/passwd (O_NONBLOCK).
    fh = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = await fh.stat();
    if (!st.isFile()) return undefined;
    if (st.size > MAX_DB_BYTES) {
      throw new GantryError('E_EXEC_USER_DB_TOO_LARGE', `${file} in the image is larger than 10 MiB`, {
        hint: 'The image has an unusually large user database; trim it or use a numeric uid:gid.',
      });
    }
    return await fh.readFile('utf8');
  } catch (e) {
    if (e instanceof GantryError) throw e;
    return undefined;
  } finally {
    await fh?.close();
  }
}

/**
 * Resolves a USER value ("name|uid[:group|gid]") against the rootfs's /etc/passwd and
 * /etc/group, read through `resolveInRoot` so symlinks in the (untrusted) image cannot point
 * the lookup at host files.
 */
export async function resolveUser(rootfs: string, spec: string): Promise<ProcessUser> {
  const colon = spec.indexOf(':');
  if (
    colon >= 0 &&
    parseIdFast(spec.slice(0, colon)) !== undefined &&
    parseIdFast(spec.slice(colon + 1)) !== undefined
  ) {
    return resolveUserFromDb(spec, undefined, undefined);
  }
  const [passwd, group] = await Promise.all([
    readUserDb(rootfs, '/etc/passwd'),
    readUserDb(rootfs, '/etc/group'),
  ]);
  return resolveUserFromDb(spec, passwd, group);
}
