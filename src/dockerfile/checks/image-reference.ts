/**
 * Whether distribution/reference's ParseNormalizedNamed accepts `s` (an image name as FROM
 * takes it: `[domain/]path[:tag][@digest]`, lower-case repository path).
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::${TAG})?(?:@${DIGEST})?$`,
);

export function isValidImageReference(s: string): boolean {
  if (s === '' || /^[a-f0-9]{64}$/.test(s)) return false;
  const slash = s.indexOf('/');
  let remainder = s;
  if (slash !== -1) {
    const first = s.slice(0, slash);
    const isDomain = /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
    if (isDomain) remainder = s.slice(slash + 1);
  }
  const name = remainder.split(/[:@]/)[0] ?? '';
  if (name.toLowerCase() !== name) return false;
  const m = REFERENCE.exec(s);
  return m !== null && m[1]!.length <= 255;
}
