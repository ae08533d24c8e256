/**
 * BuildKit's shell word expansion (frontend/dockerfile/shell): variables, quotes and escapes
 * in Dockerfile instruction arguments.
 */
export { type EnvGetter, envsFromSlice } from './env-getter.ts';
export { Lex, type LexOptions, type ProcessWordResult } from './lex.ts';
