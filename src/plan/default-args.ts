import type { Platform } from '../oci/types.ts';
import { EnvList } from './env-list.ts';
import { formatPlatform } from './platform.ts';

/** Automatic platform ARGs, visible in global scope (BuildKit's defaultArgs). */
export function defaultArgs(opts: {
  buildPlatform: Platform;
  targetPlatform: Platform;
  target: string;
  overrides: Readonly<Record<string, string>>;
}): EnvList {
  const bp = opts.buildPlatform;
  const tp = opts.targetPlatform;
  const pairs: [string, string][] = [
    ['BUILDPLATFORM', formatPlatform(bp)],
    ['BUILDOS', bp.os],
    ['BUILDOSVERSION', bp['os.version'] ?? ''],
    ['BUILDARCH', bp.architecture],
    ['BUILDVARIANT', bp.variant ?? ''],
    ['TARGETPLATFORM', formatPlatform(tp)],
    ['TARGETOS', tp.os],
    ['TARGETOSVERSION', tp['os.version'] ?? ''],
    ['TARGETARCH', tp.architecture],
    ['TARGETVARIANT', tp.variant ?? ''],
    ['TARGETSTAGE', opts.target === '' ? 'default' : opts.target],
  ];
  let env = EnvList.empty();
  for (const [k, v] of pairs) env = env.set(k, Object.hasOwn(opts.overrides, k) ? opts.overrides[k]! : v);
  return env;
}

export const AUTOMATIC_ARGS: ReadonlySet<string> = new Set([
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDOSVERSION',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETOSVERSION',
  'TARGETARCH',
  'TARGETVARIANT',
  'TARGETSTAGE',
]);
