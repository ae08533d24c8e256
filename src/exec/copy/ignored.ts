import type { CopySource } from './types.ts';

/** Whether `.dockerignore` drops `rel` (relative to the source root; the root itself never is). */
export function isIgnored(source: CopySource, rel: string, isDir: boolean): boolean {
  return rel !== '' && source.ignore?.(rel, isDir) === true;
}

/**
 * How a walk of the source treats `rel`: `copy` it, `skip` it whole, or `descend` into an
 * ignored directory that a `!` rule may bring something back from (the directory itself is not
 * copied). The plan and the tree fingerprint decide with this one rule.
 */
export function walkVerdict(source: CopySource, rel: string, isDir: boolean): 'copy' | 'skip' | 'descend' {
  if (!isIgnored(source, rel, isDir)) return 'copy';
  return isDir && source.ignoreMayIncludeBelow?.(rel) === true ? 'descend' : 'skip';
}
