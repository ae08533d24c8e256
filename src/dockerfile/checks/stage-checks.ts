import type { Range } from '../../errors/dockerfile-error.ts';
import { nodeLocation } from '../instructions/node-location.ts';
import { RESERVED_STAGE_NAMES } from '../stages/parse-stages.ts';
import type { Stage } from '../stages/types.ts';
import type { LintConfig } from './lint-config.ts';
import type { Linter } from './linter.ts';
import { MESSAGES, RULES } from './rules.ts';

/** ReservedStageName and DuplicateStageName (BuildKit validateStageNames). */
export function checkStageNames(stages: readonly Stage[], lint: Linter, config: LintConfig): void {
  const seen = new Set<string>();
  for (const s of stages) {
    if (s.name === undefined) continue;
    if (RESERVED_STAGE_NAMES.includes(s.name)) {
      lint.run(
        RULES.ReservedStageName,
        config,
        nodeLocation(s.from.node),
        MESSAGES.ReservedStageName(s.name),
      );
    }
    if (seen.has(s.name))
      lint.run(
        RULES.DuplicateStageName,
        config,
        nodeLocation(s.from.node),
        MESSAGES.DuplicateStageName(s.name),
      );
    seen.add(s.name);
  }
}

const selfConsistent = (s: string) => s === s.toLowerCase() || s === s.toUpperCase();

/**
 * ConsistentInstructionCasing (BuildKit validateCommandCasing): the majority casing of the
 * stages' keywords (meta ARGs are not counted) wins; mixed-case keywords always report.
 */
export function checkCommandCasing(stages: readonly Stage[], lint: Linter, config: LintConfig): void {
  const all: { name: string; ranges: Range[] }[] = [];
  for (const s of stages) {
    all.push({ name: s.from.name, ranges: nodeLocation(s.from.node) });
    for (const i of s.instructions) all.push({ name: i.name, ranges: nodeLocation(i.node) });
  }
  let lower = 0;
  let upper = 0;
  for (const { name } of all) {
    if (!selfConsistent(name)) continue;
    if (name === name.toLowerCase()) lower++;
    else upper++;
  }
  const majorityLower = lower > upper;
  for (const { name, ranges } of all) {
    let casing = '';
    if (majorityLower && name.toLowerCase() !== name) casing = 'lowercase';
    else if (!majorityLower && name.toUpperCase() !== name) casing = 'uppercase';
    if (casing !== '') {
      lint.run(
        RULES.ConsistentInstructionCasing,
        config,
        ranges,
        MESSAGES.ConsistentInstructionCasing(name, casing),
      );
    }
  }
}
