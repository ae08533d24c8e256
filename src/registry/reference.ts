import { GantryError } from '../errors/gantry-error.ts';
import { type Digest, isDigest } from '../oci/digest.ts';

/**
 * An image reference as Docker reads it (distribution/reference's normalized grammar):
 * `[domain/]path[:tag][@digest]`, with `docker.io` and `library/` filled in for familiar names and
 * `latest` when neither tag nor digest is given.
 */
export interface Reference {
  /** Registry host with optional port, e.g. `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/golang`. */
  path: string;
  tag?: string;
  digest?: Digest;
  /** `domain/path`. */
  name: string;
  /** `name[:tag][@digest]`. */
  toString(): string;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_MAX = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6})(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_SHAPE_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const ANCHORED_ID_RE = /^[a-f0-9]{64}$/;

function invalid(input: string, why: string, hint?: string): GantryError {
  const shown = input.length > 300 ? `${input.slice(0, 300)}...` : input;
  return new GantryError('E_REFERENCE_INVALID', `invalid image reference ${JSON.stringify(shown)}: ${why}`, {
    hint:
      hint ?? 'write it as [registry/]repository[:tag][@sha256:digest], e.g. docker.io/library/alpine:3.20',
  });
}

export function makeReference(parts: {
  domain: string;
  path: string;
  tag?: string;
  digest?: Digest;
}): Reference {
  const name = `${parts.domain}/${parts.path}`;
  const ref: Reference = {
    domain: parts.domain,
    path: parts.path,
    name,
    toString: () =>
      `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`,
  };
  if (parts.tag !== undefined) ref.tag = parts.tag;
  if (parts.digest !== undefined) ref.digest = parts.digest;
  return ref;
}

/** Splits `name` into domain and remainder the way Docker does for familiar names. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  let domain: string;
  let remainder: string;
  if (
    i === -1 ||
    (!first.includes('.') && !first.includes(':') && first !== 'localhost' && first.toLowerCase() === first)
  ) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/**
 * Parses and normalizes an image reference. `golang` → `docker.io/library/golang:latest`.
 * Throws GantryError E_REFERENCE_INVALID naming the input and the reason.
 */
export function parseReference(input: string, options: { defaultTag?: string | false } = {}): Reference {
  const defaultTag = options.defaultTag === undefined ? 'latest' : options.defaultTag;
  if (input.length === 0) throw invalid(input, 'it is empty');
  if (input.trim() !== input || /\s/.test(input)) throw invalid(input, 'it contains white space');
  if (ANCHORED_ID_RE.test(input)) {
    throw invalid(
      input,
      'a 64-character hexadecimal string is an image ID, not a repository name',
      'refer to a stored image by sha256:<id>, or give a repository name',
    );
  }

  let rest = input;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const d = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_SHAPE_RE.test(d)) throw invalid(input, `${JSON.stringify(d)} is not a valid digest`);
    if (!isDigest(d)) {
      throw invalid(
        input,
        `digest ${JSON.stringify(d)} is not supported`,
        'only sha256 digests (64 lowercase hex characters) are supported',
      );
    }
    digest = d;
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) {
      throw invalid(
        input,
        `tag ${JSON.stringify(tag)} is invalid`,
        'a tag is up to 128 letters, digits, "_", "." or "-", and does not start with "." or "-"',
      );
    }
  }
  if (rest.length === 0) throw invalid(input, 'the repository name is empty');

  const { domain, remainder } = splitDomain(rest);
  if (!DOMAIN_RE.test(domain)) throw invalid(input, `registry host ${JSON.stringify(domain)} is invalid`);
  if (remainder.toLowerCase() !== remainder) {
    throw invalid(input, 'repository name must be lowercase', `try ${JSON.stringify(input.toLowerCase())}`);
  }
  const components = remainder.split('/');
  for (const c of components) {
    if (c.length === 0)
      throw invalid(input, 'the repository path has an empty component ("//" or a trailing "/")');
    if (!PATH_COMPONENT_RE.test(c)) {
      throw invalid(
        input,
        `path component ${JSON.stringify(c)} is invalid`,
        'path components are lowercase letters and digits, separated by ".", "_", "__" or "-"',
      );
    }
  }
  const name = `${domain}/${remainder}`;
  if (name.length > NAME_TOTAL_MAX) {
    throw invalid(
      input,
      `repository name must not be longer than ${NAME_TOTAL_MAX} characters (it has ${name.length})`,
    );
  }
  if (tag === undefined && digest === undefined && defaultTag !== false) tag = defaultTag;
  return makeReference({ domain, path: remainder, tag, digest });
}

/** The short name Docker shows: `golang` for `docker.io/library/golang`, `me/app` for `docker.io/me/app`. */
export function familiarName(ref: Pick<Reference, 'domain' | 'path'>): string {
  if (ref.domain !== DEFAULT_DOMAIN) return `${ref.domain}/${ref.path}`;
  if (
    ref.path.startsWith(OFFICIAL_REPO_PREFIX) &&
    !ref.path.slice(OFFICIAL_REPO_PREFIX.length).includes('/')
  ) {
    return ref.path.slice(OFFICIAL_REPO_PREFIX.length);
  }
  return ref.path;
}

/** The familiar name with tag and digest: `golang:1.22`, `localhost:5000/a@sha256:...`. */
export function familiarString(ref: Reference): string {
  return `${familiarName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** A copy of `ref` pinned to `digest` (tag kept for display). */
export function withDigest(ref: Reference, digest: Digest): Reference {
  return makeReference({ domain: ref.domain, path: ref.path, tag: ref.tag, digest });
}
