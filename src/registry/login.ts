import { GantryError } from '../errors/gantry-error.ts';
import {
  authsKeyFor,
  type DockerConfigLocation,
  dockerConfigPath,
  helperForHost,
  readDockerConfig,
  runCredentialHelper,
  serverKey,
  writeDockerConfig,
} from './docker-config.ts';
import { RegistryErrorCode } from './errors.ts';
import { type FetchImpl, RegistryClient } from './registry-client.ts';

export interface LoginOptions extends DockerConfigLocation {
  fetchImpl?: FetchImpl;
  insecureRegistries?: readonly string[];
  timeoutMs?: number;
  retries?: number;
}

/**
 * Checks the user name and password against the registry (`GET /v2/`, through the token server
 * when it sends one), then saves them the way `docker login` does: to the credential helper for
 * the host when one is configured, else base64 in `auths` of the config file. Returns where.
 */
export async function login(
  host: string,
  username: string,
  password: string,
  opts: LoginOptions,
): Promise<{ storedIn: string }> {
  if (username === '' || password === '') {
    throw new GantryError(
      RegistryErrorCode.auth,
      `login to ${host}: user name and password must not be empty`,
      {
        hint: 'pass --username and --password (or --password-stdin)',
      },
    );
  }
  const client = new RegistryClient({
    host,
    credentials: async () => ({ username, password }),
    fetchImpl: opts.fetchImpl,
    insecureRegistries: opts.insecureRegistries,
    timeoutMs: opts.timeoutMs,
    retries: opts.retries ?? 1,
  });
  const res = await client.request({ method: 'GET', path: '/v2/', scopes: [], what: `login to ${host}` });
  if (res.status !== 200) {
    if (res.status === 401 || res.status === 403) {
      await res.discard();
      throw new GantryError(
        RegistryErrorCode.auth,
        `login to ${host} failed: the registry rejected user ${JSON.stringify(username)}`,
        {
          hint: 'check the user name and password (or access token)',
        },
      );
    }
    await res.fail();
  }
  await res.discard();

  const path = dockerConfigPath(opts);
  const config = await readDockerConfig(path);
  const helper = helperForHost(config, host);
  if (helper !== undefined) {
    const r = await runCredentialHelper({
      helper,
      action: 'store',
      input: JSON.stringify({ ServerURL: serverKey(host), Username: username, Secret: password }),
      env: opts.env,
    });
    if (!r.ok) {
      throw new GantryError(
        RegistryErrorCode.auth,
        `credential helper docker-credential-${helper} could not store the login for ${host}`,
        {
          hint: 'check the helper, or remove credsStore/credHelpers from the docker config',
        },
      );
    }
    // docker keeps an empty entry so `auths` lists the host.
    const key = authsKeyFor(config, host) ?? serverKey(host);
    config.auths = { ...config.auths, [key]: {} };
    await writeDockerConfig(path, config);
    return { storedIn: `docker-credential-${helper}` };
  }
  const key = authsKeyFor(config, host) ?? serverKey(host);
  config.auths = {
    ...config.auths,
    [key]: { auth: Buffer.from(`${username}:${password}`).toString('base64') },
  };
  await writeDockerConfig(path, config);
  return { storedIn: path };
}

/** Forgets the saved login for `host` (helper and config file). Returns whether one existed. */
export async function logout(host: string, opts: DockerConfigLocation): Promise<boolean> {
  const path = dockerConfigPath(opts);
  const config = await readDockerConfig(path);
  let removed = false;
  const helper = helperForHost(config, host);
  if (helper !== undefined) {
    const r = await runCredentialHelper({ helper, action: 'erase', input: serverKey(host), env: opts.env });
    removed = r.ok;
  }
  const key = authsKeyFor(config, host);
  if (key !== undefined && config.auths !== undefined) {
    delete config.auths[key];
    removed = true;
    await writeDockerConfig(path, config);
  }
  return removed;
}
