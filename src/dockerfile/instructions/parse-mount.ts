import { parseCsvFields, parseGoBool, parseGoUint, parseRamInBytes } from './go-values.ts';
import { instructionError } from './instruction-error.ts';
import { withSuggestion } from './suggest.ts';

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type ShareMode = 'shared' | 'private' | 'locked';

const MOUNT_TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARE_MODES: readonly ShareMode[] = ['shared', 'private', 'locked'];
const ALL_KEYS = [
  'type',
  'from',
  'source',
  'target',
  'readonly',
  'id',
  'sharing',
  'required',
  'size',
  'mode',
  'uid',
  'gid',
  'src',
  'dst',
  'destination',
  'ro',
  'rw',
  'readwrite',
  'env',
];

/** A parsed `RUN --mount` (BuildKit instructions.Mount). */
export interface Mount {
  type: MountType;
  from: string;
  source: string;
  target: string;
  readOnly: boolean;
  /** tmpfs `size` in bytes (0 = unlimited). */
  sizeLimit: number;
  /** Cache `id`, or secret `id`. */
  cacheId: string;
  /** Empty when not given. */
  cacheSharing: ShareMode | '';
  required: boolean;
  /** Secret `env=` name; undefined when not given, '' = default. */
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

function fail(message: string): never {
  throw instructionError('E_DOCKERFILE_MOUNT', message);
}

function fields(val: string): string[] {
  try {
    return parseCsvFields(val);
  } catch (e) {
    throw instructionError('E_DOCKERFILE_MOUNT', `failed to parse csv mounts: ${(e as Error).message}`, e);
  }
}

function cut(field: string): { key: string; value: string; ok: boolean } {
  const eq = field.indexOf('=');
  if (eq === -1) return { key: field.toLowerCase(), value: '', ok: false };
  return { key: field.slice(0, eq).toLowerCase(), value: field.slice(eq + 1), ok: true };
}

/**
 * The check BuildKit makes when it first parses RUN (before variables are known): the CSV
 * must parse and `from=` may not use a variable (a `$` anywhere but last).
 */
export function checkMountSyntax(val: string): void {
  for (const field of fields(val)) {
    const { key, value, ok } = cut(field);
    if (!ok || key !== 'from') continue;
    const i = value.indexOf('$');
    if (i !== -1 && i !== value.length - 1) {
      fail(`'${key}' doesn't support variable expansion, define alias stage instead`);
    }
  }
}

function bool(key: string, value: string): boolean {
  try {
    return parseGoBool(value);
  } catch {
    return fail(`invalid value for ${key}: ${value}`);
  }
}

function uint(key: string, value: string, base: number): number {
  try {
    return parseGoUint(value, base, 32);
  } catch {
    return fail(`invalid value ${value} for ${key}`);
  }
}

/**
 * Parses one `--mount` value with BuildKit's keys, defaults and errors. Every value is passed
 * through `expand` first (variables in mount options are expanded at dispatch time).
 */
export function parseMount(val: string, expand: (word: string) => string = (w) => w): Mount {
  const m: Mount = {
    type: 'bind',
    from: '',
    source: '',
    target: '',
    readOnly: false,
    sizeLimit: 0,
    cacheId: '',
    cacheSharing: '',
    required: false,
  };
  let roAuto = true;
  for (const field of fields(val)) {
    const { key, ok } = cut(field);
    if (!ok) {
      switch (key) {
        case 'readonly':
        case 'ro':
          m.readOnly = true;
          roAuto = false;
          continue;
        case 'readwrite':
        case 'rw':
          m.readOnly = false;
          roAuto = false;
          continue;
        case 'required':
          if (m.type === 'secret' || m.type === 'ssh') {
            m.required = true;
            continue;
          }
          return fail(`unexpected key '${key}' for mount type '${m.type}'`);
        default:
          return fail(`invalid field '${field}' must be a key=value pair`);
      }
    }
    const value = expand(cut(field).value);
    switch (key) {
      case 'type': {
        const v = value.toLowerCase();
        if (!(MOUNT_TYPES as readonly string[]).includes(v)) {
          fail(withSuggestion(`unsupported mount type ${JSON.stringify(value)}`, value, MOUNT_TYPES, true));
        }
        m.type = v as MountType;
        break;
      }
      case 'from':
        m.from = value;
        break;
      case 'source':
      case 'src':
        m.source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.target = value;
        break;
      case 'readonly':
      case 'ro':
        m.readOnly = bool(key, value);
        roAuto = false;
        break;
      case 'readwrite':
      case 'rw':
        m.readOnly = !bool(key, value);
        roAuto = false;
        break;
      case 'required':
        if (m.type !== 'secret' && m.type !== 'ssh')
          fail(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = bool(key, value);
        break;
      case 'size':
        if (m.type !== 'tmpfs') fail(`unexpected key '${key}' for mount type '${m.type}'`);
        try {
          m.sizeLimit = parseRamInBytes(value);
        } catch {
          fail(`invalid value for ${key}: ${value}`);
        }
        break;
      case 'id':
        m.cacheId = value;
        break;
      case 'sharing': {
        const v = value.toLowerCase();
        if (!(SHARE_MODES as readonly string[]).includes(v)) {
          fail(
            withSuggestion(`unsupported sharing value ${JSON.stringify(value)}`, value, SHARE_MODES, true),
          );
        }
        m.cacheSharing = v as ShareMode;
        break;
      }
      case 'mode':
        m.mode = uint(key, value, 8);
        break;
      case 'uid':
        m.uid = uint(key, value, 10);
        break;
      case 'gid':
        m.gid = uint(key, value, 10);
        break;
      case 'env':
        m.env = value;
        break;
      default:
        fail(withSuggestion(`unexpected key '${key}' in '${field}'`, key, ALL_KEYS, true));
    }
  }

  if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
    if (m.mode !== undefined) fail(`mode not allowed for "${m.type}" type mounts`);
    if (m.uid !== undefined) fail(`uid not allowed for "${m.type}" type mounts`);
    if (m.gid !== undefined) fail(`gid not allowed for "${m.type}" type mounts`);
  }
  if (roAuto) m.readOnly = !(m.type === 'cache' || m.type === 'tmpfs');
  if (m.type === 'secret') {
    if (m.from !== '') fail('secret mount should not have a from');
    if (m.cacheSharing !== '') fail('secret mount should not define sharing');
    if (m.source === '' && m.target === '' && m.cacheId === '')
      fail('invalid secret mount. one of source, target required');
    if (m.source !== '' && m.cacheId !== '') fail("both source and id can't be set");
  }
  if (m.cacheSharing !== '' && m.type !== 'cache') fail(`invalid cache sharing set for ${m.type} mount`);
  return m;
}
