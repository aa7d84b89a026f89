import { InputError } from '@backstage/errors';

/** A repository on the local forge, named as on GitHub: `owner/name`. */
export interface ForgeRepositoryRef {
  owner: string;
  name: string;
}

const OWNER_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/;
const NAME_PATTERN = /^[a-z0-9._][a-z0-9._-]{0,99}$/;

/**
 * The canonical (lowercase) owner, or an InputError saying what is expected.
 * Owners follow GitHub's rules for a user or organisation login, so a
 * repository can move to GitHub under the same name.
 *
 * @public
 */
export function normalizeForgeOwner(owner: string): string {
  const value = typeof owner === 'string' ? owner.trim().toLowerCase() : '';
  if (!OWNER_PATTERN.test(value)) {
    throw new InputError(
      `Invalid repository owner ${JSON.stringify(
        owner,
      )}: expected 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen`,
    );
  }
  return value;
}

/**
 * The canonical (lowercase) repository name, or an InputError saying what is
 * expected. GitHub's rules: letters, digits, `.`, `_` and `-`, at most 100.
 *
 * @public
 */
export function normalizeForgeRepositoryName(name: string): string {
  const value = typeof name === 'string' ? name.trim().toLowerCase() : '';
  if (
    !NAME_PATTERN.test(value) ||
    value === '.' ||
    value === '..' ||
    value.endsWith('.git')
  ) {
    throw new InputError(
      `Invalid repository name ${JSON.stringify(
        name,
      )}: expected 1 to 100 letters, digits, '.', '_' or '-', not starting with '-', not '.' or '..' and not ending in '.git'`,
    );
  }
  return value;
}

/**
 * The canonical form of `owner/name`.
 *
 * @public
 */
export function normalizeForgeRepositoryRef(
  ref: ForgeRepositoryRef,
): ForgeRepositoryRef {
  return {
    owner: normalizeForgeOwner(ref.owner),
    name: normalizeForgeRepositoryName(ref.name),
  };
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_REF = /[\u0000-\u0020\u007f~^:?*[\\]/;

/**
 * Checks a branch name as `git check-ref-format --branch` does, so every
 * branch the forge writes is one git itself accepts.
 *
 * @public
 */
export function validateForgeBranchName(branch: string): string {
  const problem = branchNameProblem(branch);
  if (problem) {
    throw new InputError(
      `Invalid branch name ${JSON.stringify(branch)}: ${problem}`,
    );
  }
  return branch;
}

function branchNameProblem(branch: string): string | undefined {
  if (typeof branch !== 'string' || branch.length === 0) {
    return 'expected a non-empty string';
  }
  if (branch.length > 255) return 'expected at most 255 characters';
  if (FORBIDDEN_IN_REF.test(branch)) {
    return 'spaces, control characters and ~ ^ : ? * [ \\ are not allowed';
  }
  if (branch.startsWith('-')) return "it must not start with '-'";
  if (branch === '@' || branch.includes('@{')) {
    return "it must not be '@' or contain '@{'";
  }
  if (branch.includes('..')) return "it must not contain '..'";
  if (branch.endsWith('.')) return "it must not end with '.'";
  for (const part of branch.split('/')) {
    if (part === '') return "it must not start or end with '/' or contain '//'";
    if (part.startsWith('.')) {
      return "no part between slashes may start with '.'";
    }
    if (part.endsWith('.lock')) {
      return "no part between slashes may end with '.lock'";
    }
  }
  return undefined;
}
