import { Command, Option } from 'commander';
import { installSignalCleanup } from '../exec/cleanup.ts';
import { type CliEnv, collect, processEnv, storeFor } from './cli-env.ts';
import { formatError } from './format-error.ts';

/**
 * The gantry command line: parses argv, calls the library, prints, and sets the exit code.
 * The only module (with cli-env) that touches the process.
 */
function program(cli: CliEnv, signal: AbortSignal, setExit: (code: number) => void): Command {
  const p = new Command('gantry')
    .description('a daemonless, Dockerfile-compatible container image builder')
    .version('0.1.0')
    .option('--root <dir>', 'store directory (default $GANTRY_ROOT, /var/lib/gantry for root)')
    .enablePositionalOptions()
    .showHelpAfterError()
    .showSuggestionAfterError();
  const root = () => p.opts<{ root?: string }>().root;
  const insecure = () =>
    new Option('--insecure-registry <host>', 'allow plain HTTP to this registry (repeatable)')
      .argParser(collect)
      .default([]);

  p.command('build')
    .description('build an image from a Dockerfile')
    .argument('<context>', 'build context directory')
    .option('-t, --tag <name>', 'name:tag for the image (repeatable)', collect, [])
    .option('-f, --file <path>', 'the Dockerfile (default <context>/Dockerfile)')
    .option('--target <stage>', 'build this stage instead of the last')
    .option('--build-arg <k=v>', 'a build argument (repeatable)', collect, [])
    .option('-o, --output <spec>', 'type=oci|docker|local|tar|registry,dest=PATH (repeatable)', collect, [])
    .option('--iidfile <file>', 'write the image ID to this file')
    .option('--metadata-file <file>', 'write build metadata (digests) as JSON')
    .option('-q, --quiet', 'print only the image ID')
    .addOption(
      new Option('--progress <mode>', 'progress output')
        .choices(['auto', 'tty', 'plain', 'json', 'quiet'])
        .default('auto'),
    )
    .option('--no-cache', 'do not use the build cache')
    .option(
      '--no-cache-filter <stages>',
      'do not use the cache for these stages (comma-separated, repeatable)',
      collect,
      [],
    )
    .option('--pull', 'always pull base images, even when the store has them')
    .option('--platform <os/arch>', 'target platform (default this machine)')
    .option('--network <mode>', 'network for RUN: host (default) or none', 'host')
    .option('--runtime <name|path>', 'OCI runtime: runc (default), crun or a path', 'runc')
    .option('--jobs <n>', 'stages built at once (default: every stage that is ready, as BuildKit)')
    .option('--secret <spec>', 'id=NAME,src=FILE or id=NAME,env=VAR (repeatable)', collect, [])
    .option('--push', 'push the tags after building')
    .addOption(insecure())
    .action(async (context: string, f) => {
      const { buildCommand } = await import('./commands/build.ts');
      await buildCommand(context, { ...f, root: root() }, cli, signal);
    });

  p.command('parse')
    .description('show the stages and instructions of a Dockerfile')
    .option('-f, --file <path>', 'the Dockerfile', 'Dockerfile')
    .option('--json', 'as JSON')
    .action(async (f) => {
      const { parseCommand } = await import('./commands/parse-check.ts');
      await parseCommand(f, cli);
    });

  p.command('check')
    .description('run the build checks and report warnings and errors with code frames')
    .option('-f, --file <path>', 'the Dockerfile', 'Dockerfile')
    .option('--build-arg <k=v>', 'a build argument (repeatable)', collect, [])
    .option('--target <stage>', 'check for this target')
    .action(async (f) => {
      const { checkCommand } = await import('./commands/parse-check.ts');
      setExit(await checkCommand(f, cli));
    });

  p.command('import')
    .description('make a base image from a root filesystem directory or tarball')
    .argument('<source>', 'a directory or a tar(.gz) file')
    .option('-t, --tag <name>', 'name:tag (repeatable)', collect, [])
    .option('-c, --change <instruction>', 'a Dockerfile instruction to apply (repeatable)', collect, [])
    .option('--platform <os/arch>', 'the image platform (default this machine)')
    .option('-m, --message <text>', 'the history line')
    .action(async (source: string, f) => {
      const { importCommand } = await import('./commands/import.ts');
      await importCommand(await storeFor(cli, root()), cli, source, f);
    });

  p.command('images')
    .description('list images in the store')
    .option('-q, --quiet', 'only image IDs')
    .action(async (f: { quiet?: boolean }) => {
      const { imagesCommand } = await import('./commands/images.ts');
      await imagesCommand(await storeFor(cli, root()), cli, f.quiet === true);
    });
  p.command('inspect')
    .description('show an image manifest and config as JSON')
    .argument('<image>')
    .action(async (image: string) => {
      const { inspectCommand } = await import('./commands/images.ts');
      await inspectCommand(await storeFor(cli, root()), cli, image);
    });
  p.command('history')
    .description('show the layers of an image and the instructions that made them')
    .argument('<image>')
    .action(async (image: string) => {
      const { historyCommand } = await import('./commands/images.ts');
      await historyCommand(await storeFor(cli, root()), cli, image);
    });
  p.command('save')
    .description('write an image as a docker-archive tar (for docker load)')
    .argument('<image>')
    .requiredOption('-o, --output <file>', 'the tar file')
    .action(async (image: string, f: { output: string }) => {
      const { saveCommand } = await import('./commands/images.ts');
      await saveCommand(await storeFor(cli, root()), cli, image, f.output);
    });
  p.command('rmi')
    .description('remove image names (run gantry prune to free space)')
    .argument('<image...>')
    .action(async (images: string[]) => {
      const { rmiCommand } = await import('./commands/images.ts');
      await rmiCommand(await storeFor(cli, root()), cli, images);
    });

  p.command('pull')
    .description('pull an image into the store')
    .argument('<ref>')
    .option('--platform <os/arch>', 'platform to pull from an index')
    .addOption(insecure())
    .action(async (ref: string, f) => {
      const { pullCommand } = await import('./commands/registry.ts');
      await pullCommand(await storeFor(cli, root()), cli, ref, f);
    });
  p.command('push')
    .description('push an image from the store to a registry')
    .argument('<image>')
    .argument('[dest]', 'destination reference (default the image name)')
    .addOption(insecure())
    .action(async (image: string, dest: string | undefined, f) => {
      const { pushCommand } = await import('./commands/registry.ts');
      await pushCommand(await storeFor(cli, root()), cli, image, dest, f);
    });
  p.command('login')
    .description('log in to a registry (stores credentials like docker login)')
    .argument('<host>')
    .option('-u, --username <name>')
    .option('-p, --password <password>')
    .option('--password-stdin', 'read the password from standard input')
    .addOption(insecure())
    .action(async (host: string, f) => {
      const { loginCommand } = await import('./commands/registry.ts');
      await loginCommand(cli, host, f, async () => {
        let s = '';
        for await (const chunk of process.stdin) s += String(chunk);
        return s;
      });
    });
  p.command('logout')
    .description('remove stored credentials for a registry')
    .argument('<host>')
    .action(async (host: string) => {
      const { logoutCommand } = await import('./commands/registry.ts');
      await logoutCommand(cli, host);
    });

  p.command('run')
    .description('run a command in a container from an image in the store')
    .argument('<image>')
    .argument('[cmd...]')
    .option('--rm', 'remove the container afterwards')
    .option('-e, --env <k=v>', 'set an environment variable (repeatable)', collect, [])
    .option('--network <mode>', 'host (default) or none', 'host')
    .option('--entrypoint <path>', 'override the image entrypoint')
    .option('-u, --user <user>', 'run as this user')
    .option('-w, --workdir <dir>', 'working directory')
    .option('--runtime <name|path>', 'OCI runtime', 'runc')
    .passThroughOptions()
    .action(async (image: string, cmd: string[], f) => {
      const { runCommand } = await import('./commands/run.ts');
      setExit(await runCommand(await storeFor(cli, root()), cli, image, cmd, f, signal));
    });

  p.command('prune')
    .description('remove blobs and snapshots that no image or cache entry uses')
    .action(async () => {
      const { pruneCommand } = await import('./commands/store.ts');
      await pruneCommand(await storeFor(cli, root()), cli);
    });
  p.command('store')
    .description('store maintenance')
    .command('verify')
    .description('rehash every blob and check every ref; exit 1 on problems')
    .action(async () => {
      const { verifyCommand } = await import('./commands/store.ts');
      setExit(await verifyCommand(await storeFor(cli, root()), cli));
    });
  return p;
}

async function main(): Promise<void> {
  const cli = processEnv();
  const controller = new AbortController();
  installSignalCleanup({ onSignal: (s) => controller.abort(new Error(`interrupted by ${s}`)) });
  let code = 0;
  try {
    await program(cli, controller.signal, (c) => {
      code = c;
    }).parseAsync(process.argv);
  } catch (e) {
    cli.err(`${formatError(e)}\n`);
    code = 1;
  }
  process.exitCode = code;
}

void main();
