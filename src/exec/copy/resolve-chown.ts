import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { GantryError } from '../../errors/gantry-error.ts';
import { resolveInRoot } from '../resolve-in-root.ts';
import { parseGroup, parsePasswd } from '../resolve-user.ts';
import type { Owner } from './types.ts';

/** BuildKit refuses user databases above 10 MiB. */
const MAX_DB_BYTES = 10 << 20;
const MAX_ID = 2 ** 31 - 1;

/** BuildKit's parseUID: "root" or a decimal int32. */
function parseId(s: string): number | undefined {
  if (s === 'root') return 0;
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= MAX_ID ? n : undefined;
}

export interface ChownParts {
  user: { id: number } | { name: string };
  group?: { id: number } | { name: string };
}

/** Splits `--chown=user[:group]` like llb.WithUser: each part a number ("root" = 0) or a name. */
export function parseChownSpec(spec: string): ChownParts {
  const colon = spec.indexOf(':');
  const userText = colon === -1 ? spec : spec.slice(0, colon);
  const groupText = colon === -1 ? undefined : spec.slice(colon + 1);
  const part = (t: string): { id: number } | { name: string } => {
    const id = parseId(t);
    return id === undefined ? { name: t } : { id };
  };
  return groupText === undefined
    ? { user: part(userText) }
    : { user: part(userText), group: part(groupText) };
}

async function readDb(root: string | undefined, file: string): Promise<string | undefined> {
  if (root === undefined) return undefined;
  const { hostPath } = await resolveInRoot(root, file);
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      throw new GantryError('E_COPY_USER_DB', `${file} in the destination is not a regular file`, {
        hint: 'Replace it with a regular file in an earlier step, or use a numeric --chown=uid:gid.',
      });
    }
    if (st.size > MAX_DB_BYTES) {
      throw new GantryError('E_COPY_USER_DB', `${file} in the destination is larger than 10 MiB`, {
        hint: 'Trim the user database, or use a numeric --chown=uid:gid.',
      });
    }
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

/**
 * Resolves `--chown` to ids as BuildKit's file op does: a user name is looked up in the
 * destination's /etc/passwd (its uid and primary gid), a number gives uid = gid = number, and a
 * group (name via /etc/group, or number) overrides the gid. Unlike BuildKit, which silently
 * uses 0 for a name it cannot find, an unknown name is an error (as the Dockerfile reference
 * promises). With `--link` only numeric ids work (BuildKit rejects names there too).
 */
export async function resolveChown(
  spec: string | undefined,
  destRoot: string | undefined,
  link: boolean,
): Promise<Owner | undefined> {
  if (spec === undefined || spec === '') return undefined;
  const parts = parseChownSpec(spec);
  const named = 'name' in parts.user || (parts.group !== undefined && 'name' in parts.group);
  if (named && link) {
    throw new GantryError(
      'E_COPY_LINK_CHOWN_NAME',
      `--chown=${spec} uses a user or group name, which --link cannot resolve`,
      {
        hint: "With --link the copy does not see the image's /etc/passwd; use numeric ids (--chown=1000:1000) or drop --link.",
      },
    );
  }
  let uid = 0;
  let gid = 0;
  if ('id' in parts.user) {
    uid = parts.user.id;
    gid = parts.user.id;
  } else if (parts.user.name !== '') {
    const name = parts.user.name;
    const passwd = await readDb(destRoot, '/etc/passwd');
    const match = parsePasswd(passwd ?? '').find((u) => u.name === name);
    if (match === undefined) {
      throw new GantryError(
        'E_COPY_UNKNOWN_USER',
        `--chown=${spec}: unable to find user ${name}: no matching entries in ${passwd === undefined ? 'the destination (it has no /etc/passwd)' : "the destination's /etc/passwd"}`,
        { hint: 'Create the user in an earlier RUN (adduser), or use a numeric --chown=uid:gid.' },
      );
    }
    uid = match.uid;
    gid = match.gid;
  }
  if (parts.group !== undefined) {
    if ('id' in parts.group) gid = parts.group.id;
    else if (parts.group.name !== '') {
      const name = parts.group.name;
      const group = await readDb(destRoot, '/etc/group');
      const match = parseGroup(group ?? '').find((g) => g.name === name);
      if (match === undefined) {
        throw new GantryError(
          'E_COPY_UNKNOWN_GROUP',
          `--chown=${spec}: unable to find group ${name}: no matching entries in ${group === undefined ? 'the destination (it has no /etc/group)' : "the destination's /etc/group"}`,
          { hint: 'Create the group in an earlier RUN (addgroup), or use a numeric --chown=uid:gid.' },
        );
      }
      gid = match.gid;
    }
  }
  return { uid, gid };
}
