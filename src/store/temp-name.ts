import { randomBytes } from 'node:crypto';

const PREFIX_RE = /^[a-z0-9-]{1,32}$/;
const OWNER_RE = /\.(\d+)\.[A-Za-z0-9]+$/;

/**
 * A unique name for a temp entry: `<prefix>.<pid>.<random>`. The pid lets prune tell whether
 * the creator still runs. `mkdtemp(join(dir, tempPrefix(p)))` yields the same shape.
 */
export function tempName(prefix: string): string {
  return `${tempPrefix(prefix)}${randomBytes(6).toString('hex')}`;
}

/** `<prefix>.<pid>.`, for `mkdtemp`. */
export function tempPrefix(prefix: string): string {
  if (!PREFIX_RE.test(prefix))
    throw new Error(`bad temp prefix ${JSON.stringify(prefix)}: use [a-z0-9-]{1,32}`);
  return `${prefix}.${process.pid}.`;
}

/** The pid encoded in a temp entry's name, or undefined when the name has no owner. */
export function tempOwnerPid(name: string): number | undefined {
  const m = OWNER_RE.exec(name);
  if (m === null) return undefined;
  const pid = Number(m[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}
