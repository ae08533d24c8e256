import { compressImage } from '../../image/compress-image.ts';
import { parsePlatform } from '../../plan/platform.ts';
import { familiarString, login, logout, parseReference, pullImage, pushImage } from '../../registry/index.ts';
import type { Store } from '../../store/types.ts';
import { type CliEnv, registryOptions } from '../cli-env.ts';
import { findImage } from './images.ts';

export async function pullCommand(
  store: Store,
  cli: CliEnv,
  ref: string,
  f: { platform?: string; insecureRegistry: string[] },
): Promise<void> {
  const parsed = parseReference(ref);
  const platform = f.platform ? parsePlatform(f.platform) : undefined;
  const r = await pullImage({
    ...registryOptions(cli, f.insecureRegistry),
    ref: parsed,
    blobs: store.blobs,
    refs: store.refs,
    ...(platform
      ? {
          platform: {
            os: platform.os,
            architecture: platform.architecture,
            ...(platform.variant ? { variant: platform.variant } : {}),
          },
        }
      : {}),
  });
  cli.err(
    `pulled ${familiarString(parsed)} (${r.layers.length} layers, ${r.downloadedBytes} bytes downloaded)\n`,
  );
  cli.out(`${r.manifest.digest}\n`);
}

export async function pushCommand(
  store: Store,
  cli: CliEnv,
  name: string,
  dest: string | undefined,
  f: { insecureRegistry: string[] },
): Promise<void> {
  const { name: full, descriptor } = await findImage(store, name);
  const target = parseReference(dest ?? full);
  const r = await pushImage({
    ...registryOptions(cli, f.insecureRegistry),
    ref: target,
    blobs: store.blobs,
    // Layers gantry built are stored as plain tars; the registry gets their gzip form.
    manifest: await compressImage({ blobs: store.blobs, cache: store.cache }, descriptor),
  });
  cli.err(
    `pushed ${familiarString(target)}: ${r.uploaded} uploaded, ${r.mounted} mounted, ${r.existing} already there\n`,
  );
  cli.out(`${familiarString(target)}@${r.digest}\n`);
}

export async function loginCommand(
  cli: CliEnv,
  host: string,
  f: { username?: string; password?: string; passwordStdin?: boolean; insecureRegistry: string[] },
  readStdin: () => Promise<string>,
): Promise<void> {
  const password = f.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : (f.password ?? '');
  const r = await login(host, f.username ?? '', password, {
    env: cli.env,
    home: cli.home,
    insecureRegistries: f.insecureRegistry,
  });
  cli.out(`Login Succeeded (credentials stored in ${r.storedIn})\n`);
}

export async function logoutCommand(cli: CliEnv, host: string): Promise<void> {
  const removed = await logout(host, { env: cli.env, home: cli.home });
  cli.out(removed ? `Removing login credentials for ${host}\n` : `Not logged in to ${host}\n`);
}
