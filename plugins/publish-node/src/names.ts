/*
 * GitHub's naming rules, written once. Both publishers follow them: GitHub
 * because it is GitHub, the local forge so that a repository can move to
 * GitHub under the same name. Each function returns what is expected when
 * the value breaks a rule, and undefined when it is fine; the publishers
 * word the error around it.
 */

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_REF = /[\u0000-\u0020\u007f~^:?*[\\]/;

/** At most this many topics on a repository. @public */
export const MAX_TOPICS = 20;

/**
 * An owner (organisation or user login): what is expected, or undefined
 * when it is valid.
 *
 * @public
 */
export function ownerNameProblem(owner: unknown): string | undefined {
  return typeof owner === 'string' && OWNER.test(owner)
    ? undefined
    : 'expected 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen';
}

/**
 * Which rule of repository names a name breaks, and what is expected.
 *
 * @public
 */
export interface RepositoryNameProblem {
  /** `characters`: not 1 to 100 of the allowed ones (GitHub would rename it). */
  rule: 'characters' | 'leading-hyphen' | 'reserved';
  expected: string;
}

/**
 * A repository name: the rule it breaks, or undefined when it is valid.
 * GitHub would silently rename a name of other characters (spaces become
 * `-`), which would break every URL a template computed, so it is refused.
 *
 * @public
 */
export function repositoryNameProblem(
  name: unknown,
): RepositoryNameProblem | undefined {
  if (typeof name !== 'string' || !REPOSITORY_NAME.test(name)) {
    return {
      rule: 'characters',
      expected: "expected 1 to 100 ASCII letters, digits, '.', '-' or '_'",
    };
  }
  // git tools would read such a name as an option.
  if (name.startsWith('-')) {
    return { rule: 'leading-hyphen', expected: "it may not start with '-'" };
  }
  if (name === '.' || name === '..' || /\.git$/i.test(name)) {
    return {
      rule: 'reserved',
      expected: '"." and ".." are reserved and a name may not end in ".git"',
    };
  }
  return undefined;
}

/**
 * What GitHub would make of a name it does not accept as it is.
 *
 * @public
 */
export function gitHubRenameOf(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100);
}

/**
 * A topic: lowercase letters, digits and hyphens, starting with a letter or
 * digit, at most 50 characters. What is expected, or undefined.
 *
 * @public
 */
export function topicProblem(topic: unknown): string | undefined {
  return typeof topic === 'string' && TOPIC.test(topic)
    ? undefined
    : 'expected lowercase letters, digits and hyphens, starting with a letter or digit, at most 50 characters';
}

/**
 * A branch name as `git check-ref-format --branch` judges it: what is
 * wrong, or undefined when git accepts it.
 *
 * @public
 */
export function branchNameProblem(branch: unknown): string | undefined {
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
  return branch.split('/').map(refPartProblem).find(Boolean);
}

function refPartProblem(part: string): string | undefined {
  if (part === '') return "it must not start or end with '/' or contain '//'";
  if (part.startsWith('.')) return "no part between slashes may start with '.'";
  if (part.endsWith('.lock')) {
    return "no part between slashes may end with '.lock'";
  }
  return undefined;
}
