import type { InstructionNode, ParseResult } from '../ast.ts';
import { nodeLocation } from '../instructions/node-location.ts';
import { configFromComments, type LintConfig } from './lint-config.ts';
import type { Linter } from './linter.ts';
import { MESSAGES, RULES } from './rules.ts';

function fromAsCasingOk(command: string, args: readonly string[]): boolean {
  if (args.length < 3) return true;
  const lower = command === command.toLowerCase();
  const upper = command === command.toUpperCase();
  if (!lower && !upper) return true;
  return lower ? args[1] === args[1]!.toLowerCase() : args[1] === args[1]!.toUpperCase();
}

function definitionDescription(
  lint: Linter,
  config: LintConfig,
  node: InstructionNode,
  instruction: string,
  keys: readonly string[],
): void {
  const comments = node.prevComments;
  if (comments.length === 0 || keys.length === 0) return;
  const first = comments[comments.length - 1]!.split(' ')[0]!;
  if (keys.includes(first)) return;
  const example = keys.length > 1 ? '<arg_key>' : keys[0]!;
  lint.run(
    RULES.InvalidDefinitionDescription,
    config,
    nodeLocation(node),
    MESSAGES.InvalidDefinitionDescription(instruction, example),
  );
}

/**
 * Checks BuildKit makes while typing each instruction (ParseInstructionWithLinter):
 * MaintainerDeprecated, StageNameCasing, FromAsCasing, InvalidDefinitionDescription.
 * Runs on AST nodes that already parsed successfully.
 */
export function parsePhaseChecks(parsed: ParseResult, lint: Linter, base: LintConfig): void {
  for (const node of parsed.children) {
    const config = configFromComments(base, node.prevComments);
    const args = node.args;
    switch (node.keyword.toLowerCase()) {
      case 'maintainer':
        lint.run(RULES.MaintainerDeprecated, config, nodeLocation(node), MESSAGES.MaintainerDeprecated());
        break;
      case 'from': {
        if (args.length === 3 && args[2] !== args[2]!.toLowerCase()) {
          lint.run(RULES.StageNameCasing, config, nodeLocation(node), MESSAGES.StageNameCasing(args[2]!));
        }
        if (!fromAsCasingOk(node.keywordAsWritten, args)) {
          lint.run(
            RULES.FromAsCasing,
            config,
            nodeLocation(node),
            MESSAGES.FromAsCasing(node.keywordAsWritten, args[1]!),
          );
        }
        if (args.length === 3) definitionDescription(lint, config, node, 'FROM', [args[2]!.toLowerCase()]);
        break;
      }
      case 'arg': {
        const keys = args.map((a) => (a.includes('=') ? a.slice(0, a.indexOf('=')) : a));
        definitionDescription(lint, config, node, 'ARG', keys);
        break;
      }
    }
  }
}
