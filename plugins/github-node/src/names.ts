import { InputError } from '@backstage/errors';
import {
  MAX_TOPICS,
  branchNameProblem,
  gitHubRenameOf,
  ownerNameProblem,
  repositoryNameProblem,
  topicProblem,
} from '@paved/plugin-publish-node';

/*
 * GitHub's naming rules live in @paved/plugin-publish-node, shared with the
 * local forge; these functions word their errors the GitHub way, naming the
 * field.
 */

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a repository name as GitHub accepts it: up to 100 ASCII letters,
 * digits, `.`, `-` or `_`, not starting with `-`, not `.`/`..`, not ending
 * in `.git`.
 *
 * @public
 */
export function assertRepositoryName(name: string, field = 'name'): void {
  const problem = repositoryNameProblem(name);
  if (!problem) return;
  const suggestion =
    problem.rule === 'characters' && typeof name === 'string' && name
      ? ` (GitHub would rename it to "${gitHubRenameOf(name)}")`
      : '';
  throw new InputError(
    `${field}: invalid repository name "${name}"; ${problem.expected}${suggestion}`,
  );
}

/**
 * Checks a GitHub owner (organisation or user) login: letters, digits and
 * single hyphens, not at either end, at most 39 characters.
 *
 * @public
 */
export function assertOwnerName(owner: string, field = 'owner'): void {
  const problem = ownerNameProblem(owner);
  if (problem) {
    throw new InputError(
      `${field}: invalid GitHub owner "${owner}"; ${problem}`,
    );
  }
}

/**
 * Checks a branch name against git's ref format rules.
 *
 * @public
 */
export function assertBranchName(branch: string, field = 'branch'): void {
  const problem = branchNameProblem(branch);
  if (problem) {
    throw new InputError(
      `${field}: invalid branch name "${branch}"; ${problem}`,
    );
  }
}

/**
 * Checks the name of an Actions secret or variable: letters, digits and
 * underscores, not starting with a digit or with GITHUB_.
 *
 * @public
 */
export function assertActionsName(
  name: string,
  field: string,
  what: 'secret' | 'variable',
): void {
  if (
    typeof name !== 'string' ||
    !SECRET_NAME.test(name) ||
    /^GITHUB_/i.test(name)
  ) {
    throw new InputError(
      `${field}: invalid ${what} name "${name}"; expected letters, digits and underscores, not starting with a digit or with GITHUB_`,
    );
  }
}

/**
 * Checks repository topics: lowercase letters, digits and hyphens, starting
 * with a letter or digit, at most 50 characters, at most 20 topics.
 *
 * @public
 */
export function assertTopics(topics: string[], field = 'topics'): void {
  if (topics.length > MAX_TOPICS) {
    throw new InputError(
      `${field}: ${topics.length} topics given; GitHub allows at most ${MAX_TOPICS}`,
    );
  }
  const bad = topics.filter(topicProblem);
  if (bad.length > 0) {
    throw new InputError(
      `${field}: invalid topic ${bad
        .map(t => `"${t}"`)
        .join(', ')}; ${topicProblem(bad[0])}`,
    );
  }
}
