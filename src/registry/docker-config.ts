import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import { DEFAULT_DOMAIN } from './reference.ts';

/**
 * Docker's client config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`): `auths`,
 * `credsStore`, `credHelpers`. Environment and home come in as parameters.
 */

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token (`"<token>"` user from a helper, `identitytoken` in config). */
  identityToken?: string;
}

export interface DockerConfigLocation {
  /** The environment to read DOCKER_CONFIG and PATH (for credential helpers) from. */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  home: string;
}

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [other: string]: unknown;
}

/** The key Docker uses for Docker Hub in config files and helpers. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

export function dockerConfigPath(loc: DockerConfigLocation): string {
  const dir = loc.env.DOCKER_CONFIG;
  return dir !== undefined && dir !== ''
    ? join(dir, 'config.json')
    : join(loc.home, '.docker', 'config.json');
}

/** The server name Docker passes to helpers and uses as the `auths` key for `host`. */
export function serverKey(host: string): string {
  return host === DEFAULT_DOMAIN || host === 'index.docker.io' || host === 'registry-1.docker.io'
    ? DOCKER_HUB_SERVER
    : host;
}

/** `https://host:5000/v1/` → `host:5000`, as Docker's ConvertToHostname. */
function keyHost(key: string): string {
  let k = key.replace(/^https?:\/\//, '');
  const slash = k.indexOf('/');
  if (slash !== -1) k = k.slice(0, slash);
  return k;
}

export async function readDockerConfig(path: string): Promise<DockerConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new GantryError('E_REGISTRY_CONFIG', `cannot read docker config ${path}: ${(e as Error).message}`, {
      hint: 'check the file permissions, or point DOCKER_CONFIG at another directory',
      cause: e,
    });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as DockerConfigFile;
  } catch (e) {
    throw new GantryError(
      'E_REGISTRY_CONFIG',
      `docker config ${path} is not valid JSON: ${(e as Error).message}`,
      {
        hint: 'fix or remove the file (docker login rewrites it)',
      },
    );
  }
}

/** Writes the config atomically with mode 0600, as docker does. */
export async function writeDockerConfig(path: string, config: DockerConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

function helperForHost(config: DockerConfigFile, host: string): string | undefined {
  const helpers = config.credHelpers ?? {};
  const key = serverKey(host);
  const h = helpers[host] ?? helpers[key] ?? Object.entries(helpers).find(([k]) => keyHost(k) === host)?.[1];
  if (h !== undefined && h !== '') return h;
  return config.credsStore !== undefined && config.credsStore !== '' ? config.credsStore : undefined;
}

/** The `auths` key that matches `host`, exact first, then by host name. */
export function authsKeyFor(config: DockerConfigFile, host: string): string | undefined {
  const auths = config.auths ?? {};
  const key = serverKey(host);
  if (key in auths) return key;
  if (host in auths) return host;
  return Object.keys(auths).find((k) => keyHost(k) === keyHost(key));
}

function fromAuthsEntry(config: DockerConfigFile, host: string): Credentials | undefined {
  const k = authsKeyFor(config, host);
  const entry = k === undefined ? undefined : config.auths?.[k];
  if (entry === undefined) return undefined;
  const creds: Credentials = {};
  if (entry.auth !== undefined && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) {
      throw new GantryError(
        'E_REGISTRY_CONFIG',
        `the saved login for ${host} is malformed (no ":" in "auth")`,
        {
          hint: `run "gantry login ${host}" again`,
        },
      );
    }
    creds.username = decoded.slice(0, colon);
    creds.password = decoded.slice(colon + 1);
  } else if (entry.username !== undefined) {
    creds.username = entry.username;
    creds.password = entry.password ?? '';
  }
  if (entry.identitytoken !== undefined && entry.identitytoken !== '')
    creds.identityToken = entry.identitytoken;
  return creds.username !== undefined || creds.identityToken !== undefined ? creds : undefined;
}

/** Runs `docker-credential-<helper> <action>` with `input` on stdin; resolves stdout, or the failure. */
export function runCredentialHelper(opts: {
  helper: string;
  action: 'get' | 'store' | 'erase';
  input: string;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<{ ok: boolean; stdout: string }> {
  const program = `docker-credential-${opts.helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [opts.action], {
      env: opts.env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.resume();
    child.on('error', (e) => {
      reject(
        new GantryError(
          'E_REGISTRY_CREDENTIAL_HELPER',
          `cannot run credential helper ${program}: ${e.message}`,
          {
            hint: `install ${program} on PATH, or remove it from credsStore/credHelpers in your docker config`,
            cause: e,
          },
        ),
      );
    });
    child.on('close', (code) => resolve({ ok: code === 0, stdout }));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input);
  });
}

async function fromHelper(
  helper: string,
  host: string,
  env: DockerConfigLocation['env'],
): Promise<Credentials | undefined> {
  const r = await runCredentialHelper({ helper, action: 'get', input: serverKey(host), env });
  if (!r.ok) {
    // "credentials not found in native keychain" and the like: no login for this host.
    if (/not found/i.test(r.stdout) || r.stdout.trim() === '') return undefined;
    throw new GantryError(
      'E_REGISTRY_CREDENTIAL_HELPER',
      `credential helper docker-credential-${helper} failed for ${host}: ${r.stdout.trim().slice(0, 200)}`,
      { hint: `check the helper works: echo ${serverKey(host)} | docker-credential-${helper} get` },
    );
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(r.stdout) as { Username?: unknown; Secret?: unknown };
  } catch {
    throw new GantryError(
      'E_REGISTRY_CREDENTIAL_HELPER',
      `credential helper docker-credential-${helper} printed something that is not JSON for ${host}`,
      { hint: 'the helper must print {"ServerURL":..,"Username":..,"Secret":..}' },
    );
  }
  const user = typeof parsed.Username === 'string' ? parsed.Username : '';
  const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
  if (user === '<token>') return { identityToken: secret };
  return { username: user, password: secret };
}

/**
 * The credentials Docker would use for `host`: `credHelpers[host]`, else `credsStore`, else `auths`.
 * Undefined when there are none (anonymous access).
 */
export async function resolveCredentials(
  host: string,
  loc: DockerConfigLocation,
): Promise<Credentials | undefined> {
  const config = await readDockerConfig(dockerConfigPath(loc));
  const helper = helperForHost(config, host);
  if (helper !== undefined) {
    const fromStore = await fromHelper(helper, host, loc.env);
    if (fromStore !== undefined) return fromStore;
  }
  return fromAuthsEntry(config, host);
}

/** For tests and callers that already have credentials: a resolver over a fixed table. */
export function staticCredentials(
  table: Record<string, Credentials>,
): (host: string) => Promise<Credentials | undefined> {
  return async (host) => table[host];
}

export { helperForHost };
