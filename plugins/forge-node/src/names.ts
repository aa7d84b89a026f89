import { InputError } from '@backstage/errors';
import {
  RepositoryRef,
  branchNameProblem,
  ownerNameProblem,
  repositoryNameProblem,
} from '@paved/plugin-publish-node';

/*
 * The forge follows GitHub's naming rules (@paved/plugin-publish-node), so a
 * repository can move to GitHub under the same name, and lowercases owner
 * and name, as GitHub compares them.
 */

/**
 * A repository on the local forge, named as on GitHub: `owner/name`.
 *
 * @public
 */
export type ForgeRepositoryRef = Pick<RepositoryRef, 'owner' | 'name'>;

function lowercased(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/**
 * The canonical (lowercase) owner, or an InputError saying what is expected.
 *
 * @public
 */
export function normalizeForgeOwner(owner: string): string {
  const value = lowercased(owner);
  const problem = ownerNameProblem(value);
  if (problem) {
    throw new InputError(
      `Invalid repository owner ${JSON.stringify(owner)}: ${problem}`,
    );
  }
  return value;
}

/**
 * The canonical (lowercase) repository name, or an InputError saying what
 * is expected.
 *
 * @public
 */
export function normalizeForgeRepositoryName(name: string): string {
  const value = lowercased(name);
  const problem = repositoryNameProblem(value);
  if (problem) {
    throw new InputError(
      `Invalid repository name ${JSON.stringify(name)}: ${problem.expected}`,
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
