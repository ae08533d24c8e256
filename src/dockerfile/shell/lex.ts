import type { EnvGetter } from './env-getter.ts';
import { ShellFailure, wrapShellError } from './shell-error.ts';
import { ShellWord } from './shell-word.ts';

export interface LexOptions {
  /** The Dockerfile's escape character (`# escape=`); default `\`. */
  escapeToken?: '\\' | '`';
  /** Keep quote characters in the result. */
  rawQuotes?: boolean;
  /** Keep escape characters in the result. */
  rawEscapes?: boolean;
  /** Leave references to unset variables as written (`$X`, `${X:-w}`) instead of expanding them. */
  skipUnsetEnv?: boolean;
  /** Treat `'` and `"` as ordinary characters. */
  skipProcessQuotes?: boolean;
}

export interface ProcessWordResult {
  /** The word with quotes, escapes and variables processed. */
  result: string;
  /** The same split into words at unquoted whitespace. */
  words: string[];
  /** Variable names looked up and found. */
  matched: Set<string>;
  /** Variable names looked up and not set. */
  unmatched: Set<string>;
}

/**
 * BuildKit's shell lexer (frontend/dockerfile/shell): expands `$VAR`, `${VAR}` and the
 * `${VAR<op>...}` forms, removes quotes and escapes, and splits words, as `docker build` does
 * for Dockerfile instruction arguments. Failures are GantryErrors (docs/errors/shell.md) whose
 * messages read as BuildKit's: `failed to process "<word>": <reason>`.
 */
export class Lex {
  private readonly escapeToken: '\\' | '`';
  private readonly rawQuotes: boolean;
  private readonly rawEscapes: boolean;
  private readonly skipUnsetEnv: boolean;
  private readonly skipProcessQuotes: boolean;

  constructor(opts: LexOptions = {}) {
    this.escapeToken = opts.escapeToken ?? '\\';
    this.rawQuotes = opts.rawQuotes ?? false;
    this.rawEscapes = opts.rawEscapes ?? false;
    this.skipUnsetEnv = opts.skipUnsetEnv ?? false;
    this.skipProcessQuotes = opts.skipProcessQuotes ?? false;
  }

  /** Expands `word` as one word (spaces kept). */
  processWord(word: string, env: EnvGetter): string {
    return this.processWordWithMatches(word, env).result;
  }

  /** Expands `word` and splits it into words at unquoted whitespace (after expansion). */
  processWords(word: string, env: EnvGetter): string[] {
    return this.processWordWithMatches(word, env).words;
  }

  /** Expands `word` and reports which variable names were found and which were not. */
  processWordWithMatches(word: string, env: EnvGetter): ProcessWordResult {
    const sw = new ShellWord(word, env, {
      escapeToken: this.escapeToken,
      rawQuotes: this.rawQuotes,
      rawEscapes: this.rawEscapes,
      skipUnsetEnv: this.skipUnsetEnv,
      skipProcessQuotes: this.skipProcessQuotes,
    });
    try {
      const { result, words } = sw.run();
      return { result, words, matched: sw.matched, unmatched: sw.unmatched };
    } catch (e) {
      if (e instanceof ShellFailure) throw wrapShellError(e, word);
      throw e;
    }
  }
}
