import type { Heredoc } from '../ast.ts';
import { chompHeredocContent, parseHeredoc } from '../parser/heredoc.ts';
import { parseFlags } from './bflags.ts';
import { instructionError } from './instruction-error.ts';
import { errNoDestinationArgument, type ParseRequest } from './parse-request.ts';
import type { AddInstruction, CopyInstruction, SourceContent } from './types.ts';

/** BuildKit's MustParseHeredoc: a heredoc word, or undefined (lexing errors included). */
function heredocWord(word: string): Heredoc | undefined {
  try {
    return parseHeredoc(word);
  } catch {
    return undefined;
  }
}

function sourcesAndDest(req: ParseRequest, command: string) {
  const srcs = req.args.slice(0, -1);
  const dest = req.args[req.args.length - 1]!;
  if (heredocWord(dest) !== undefined) {
    throw instructionError('E_DOCKERFILE_INSTRUCTION', `${command} cannot accept a heredoc as a destination`);
  }
  const bodies = new Map(req.node.heredocs.map((h) => [h.name, h.content]));
  const sources: string[] = [];
  const heredocSources: SourceContent[] = [];
  for (const src of srcs) {
    const h = heredocWord(src);
    if (h === undefined) {
      sources.push(src);
      continue;
    }
    let data = bodies.get(h.name) ?? '';
    if (h.chomp) data = chompHeredocContent(data);
    heredocSources.push({ path: h.name, data, expand: h.expand });
  }
  return { sources, heredocSources, dest };
}

export function parseAdd(req: ParseRequest): AddInstruction {
  if (req.args.length < 2) throw errNoDestinationArgument('ADD');
  const flags = parseFlags(req.flags, [
    { name: 'chown', type: 'string' },
    { name: 'chmod', type: 'string' },
    { name: 'link', type: 'bool' },
    { name: 'keep-git-dir', type: 'bool' },
    { name: 'checksum', type: 'string' },
    { name: 'unpack', type: 'bool' },
    { name: 'exclude', type: 'strings' },
  ]);
  const sd = sourcesAndDest(req, 'ADD');
  const add: AddInstruction = {
    ...req.base,
    kind: 'add',
    ...sd,
    chown: flags.string('chown'),
    chmod: flags.string('chmod'),
    link: flags.bool('link'),
    exclude: flags.strings('exclude'),
    checksum: flags.string('checksum'),
  };
  if (flags.isUsed('keep-git-dir')) add.keepGitDir = flags.bool('keep-git-dir');
  if (flags.isUsed('unpack')) add.unpack = flags.bool('unpack');
  return add;
}

export function parseCopy(req: ParseRequest): CopyInstruction {
  if (req.args.length < 2) throw errNoDestinationArgument('COPY');
  const flags = parseFlags(req.flags, [
    { name: 'chown', type: 'string' },
    { name: 'from', type: 'string' },
    { name: 'chmod', type: 'string' },
    { name: 'link', type: 'bool' },
    { name: 'exclude', type: 'strings' },
    { name: 'parents', type: 'bool' },
  ]);
  return {
    ...req.base,
    kind: 'copy',
    ...sourcesAndDest(req, 'COPY'),
    from: flags.string('from'),
    chown: flags.string('chown'),
    chmod: flags.string('chmod'),
    link: flags.bool('link'),
    exclude: flags.strings('exclude'),
    parents: flags.bool('parents'),
  };
}
