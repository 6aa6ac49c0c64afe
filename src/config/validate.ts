import { ConfigError } from '../errors.js';
import { validate as validateGenerated } from './generated/compose-schema-validator.js';
import { formatKeyPath, type KeyPath, type Locator } from './locator.js';
import { describeSchemaError, type SchemaError } from './schema-errors.js';

interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

// The validator is compiled from schemas/compose-spec.json at build time (scripts/build-schema.mjs).
const validateTree = validateGenerated as unknown as GeneratedValidator;

/**
 * Validates one parsed, interpolated compose file against the Compose Specification schema.
 * Throws a ConfigError that names the most specific problem, with its position in the file.
 */
export function validateComposeFile(tree: unknown, locator: Locator, shown: unknown = tree): void {
  if (validateTree(tree)) return;
  const errors = validateTree.errors ?? [];
  // `shown` is the tree as the user wrote it, when `tree` is a marked copy (validate-stage.ts).
  const problem = describeSchemaError(errors, shown);
  const position = locator.position(problem.positionPath);
  const sourceLine = position === undefined ? undefined : locator.line(position.line);
  const keyPath = formatKeyPath(problem.positionPath);
  throw new ConfigError(withPrefix(problem.path, problem.message), {
    ...(position === undefined ? {} : { position }),
    ...(keyPath === '' ? {} : { keyPath }),
    hint: problem.hint,
    ...(sourceLine === undefined ? {} : { sourceLine }),
  });
}

function withPrefix(path: KeyPath, message: string): string {
  if (path.length > 0) return `${formatKeyPath(path)}: ${message}`;
  return message.startsWith('unknown top-level key') ? message : `top level: ${message}`;
}
