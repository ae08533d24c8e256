import { parseMount } from './parse-mount.ts';
import type { Instruction, KeyValuePair, SourceContent } from './types.ts';

/** Expands variables in one word (BuildKit SingleWordExpander); may throw. */
export type WordExpander = (word: string) => string;

export interface ExpandMore {
  /** Splits and expands one EXPOSE word (shell ProcessWords); default: `[expand(word)]`. */
  expandWords?: (word: string) => string[];
  /** Expands heredoc bodies of COPY/ADD whose delimiter was unquoted (quotes kept); default: unchanged. */
  expandRaw?: WordExpander;
}

function kvps(pairs: readonly KeyValuePair[], expand: WordExpander): KeyValuePair[] {
  return pairs.map((p) => {
    const key = expand(p.key);
    return { key, value: expand(p.value), noDelim: p.noDelim };
  });
}

function heredocs(contents: readonly SourceContent[], raw: WordExpander | undefined): SourceContent[] {
  return contents.map((c) => (c.expand && raw !== undefined ? { ...c, data: raw(c.data) } : { ...c }));
}

/**
 * A copy of `inst` with variables expanded in the fields BuildKit expands (its `Expand` and
 * `ExpandRaw` methods), in BuildKit's order:
 * ENV/LABEL keys and values; ADD chown, chmod, checksum, sources, dest; COPY chown, chmod,
 * sources, dest (not `--from`: BuildKit rejects variables there); heredoc sources through
 * `expandRaw`; WORKDIR, USER, STOPSIGNAL, VOLUME; ARG names and defaults; RUN `--mount` values
 * (parsed into `mountSpecs`); EXPOSE words; FROM image and `--platform` (pass the meta-arg
 * expander). RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK/ONBUILD/MAINTAINER are returned unchanged.
 */
export function expandInstruction(
  inst: Instruction,
  expand: WordExpander,
  more: ExpandMore = {},
): Instruction {
  switch (inst.kind) {
    case 'env':
      return { ...inst, pairs: kvps(inst.pairs, expand) };
    case 'label':
      return { ...inst, pairs: kvps(inst.pairs, expand) };
    case 'add': {
      const chown = expand(inst.chown);
      const chmod = expand(inst.chmod);
      const checksum = expand(inst.checksum);
      const sources = inst.sources.map(expand);
      const dest = expand(inst.dest);
      return {
        ...inst,
        chown,
        chmod,
        checksum,
        sources,
        dest,
        heredocSources: heredocs(inst.heredocSources, more.expandRaw),
      };
    }
    case 'copy': {
      const chown = expand(inst.chown);
      const chmod = expand(inst.chmod);
      const sources = inst.sources.map(expand);
      const dest = expand(inst.dest);
      return {
        ...inst,
        chown,
        chmod,
        sources,
        dest,
        heredocSources: heredocs(inst.heredocSources, more.expandRaw),
      };
    }
    case 'workdir':
      return { ...inst, path: expand(inst.path) };
    case 'user':
      return { ...inst, user: expand(inst.user) };
    case 'stopsignal':
      return { ...inst, signal: expand(inst.signal) };
    case 'volume':
      return { ...inst, volumes: inst.volumes.map(expand) };
    case 'arg':
      return {
        ...inst,
        args: inst.args.map((a) => {
          const key = expand(a.key);
          return a.value === undefined ? { ...a, key } : { ...a, key, value: expand(a.value) };
        }),
      };
    case 'run':
      return { ...inst, mountSpecs: inst.mounts.map((m) => parseMount(m, expand)) };
    case 'expose': {
      const words = more.expandWords ?? ((w: string) => [expand(w)]);
      return { ...inst, ports: inst.ports.flatMap(words) };
    }
    case 'from': {
      const out = { ...inst, image: expand(inst.image) };
      if (inst.platform !== undefined) out.platform = expand(inst.platform);
      return out;
    }
    case 'cmd':
    case 'entrypoint':
    case 'shell':
    case 'healthcheck':
    case 'onbuild':
    case 'maintainer':
      return { ...inst };
  }
}
