import { InputError } from '@backstage/errors';

const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const BRANCH_FORBIDDEN =
  /(^[./]|\/\.|\.\.|[~^:?*[\\]|@\{|\.lock(\/|$)|\/$|\.$|\/\/)/;
// Control characters and space, which git refuses in ref names.
const hasControl = (s: string) =>
  [...s].some(c => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;

/**
 * Checks a repository name as GitHub accepts it: up to 100 ASCII letters,
 * digits, `.`, `-` or `_`, not `.`/`..`, not ending in `.git`. GitHub would
 * silently rename other names (spaces become `-`), which would break every
 * URL the template computed, so they are refused instead.
 *
 * @public
 */
export function assertRepositoryName(name: string, field = 'name'): void {
  if (typeof name !== 'string' || !REPO_NAME.test(name)) {
    const suggestion =
      typeof name === 'string' && name.length > 0
        ? ` (GitHub would rename it to "${name
            .replace(/[^A-Za-z0-9._-]/g, '-')
            .slice(0, 100)}")`
        : '';
    throw new InputError(
      `${field}: invalid repository name "${name}"; expected 1 to 100 ASCII letters, digits, '.', '-' or '_'${suggestion}`,
    );
  }
  if (name === '.' || name === '..' || /\.git$/i.test(name)) {
    throw new InputError(
      `${field}: invalid repository name "${name}"; "." and ".." are reserved and a name may not end in ".git"`,
    );
  }
}

/**
 * Checks a GitHub owner (organisation or user) login: letters, digits and
 * single hyphens, not at either end, at most 39 characters.
 *
 * @public
 */
export function assertOwnerName(owner: string, field = 'owner'): void {
  if (typeof owner !== 'string' || !OWNER.test(owner)) {
    throw new InputError(
      `${field}: invalid GitHub owner "${owner}"; expected up to 39 letters, digits or single hyphens, not starting or ending with a hyphen`,
    );
  }
}

/**
 * Checks a branch name against git's ref format rules.
 *
 * @public
 */
export function assertBranchName(branch: string, field = 'branch'): void {
  if (
    typeof branch !== 'string' ||
    branch.length === 0 ||
    branch.length > 255 ||
    hasControl(branch) ||
    BRANCH_FORBIDDEN.test(branch)
  ) {
    throw new InputError(
      `${field}: invalid branch name "${branch}"; expected a git branch name such as main or release/1.0`,
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
  if (topics.length > 20) {
    throw new InputError(
      `${field}: ${topics.length} topics given; GitHub allows at most 20`,
    );
  }
  const bad = topics.filter(t => typeof t !== 'string' || !TOPIC.test(t));
  if (bad.length > 0) {
    throw new InputError(
      `${field}: invalid topic ${bad
        .map(t => `"${t}"`)
        .join(
          ', ',
        )}; expected lowercase letters, digits and hyphens, starting with a letter or digit, at most 50 characters`,
    );
  }
}
