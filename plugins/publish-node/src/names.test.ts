import {
  branchNameProblem,
  gitHubRenameOf,
  ownerNameProblem,
  repositoryNameProblem,
  topicProblem,
} from './names';

describe("GitHub's naming rules", () => {
  it.each(['kestrel', 'Kestrel-Logistics', 'a', 'a'.repeat(39), 'k8s'])(
    'accepts the owner %j',
    owner => expect(ownerNameProblem(owner)).toBeUndefined(),
  );

  it.each([
    '',
    '-kestrel',
    'kestrel-',
    'kes--trel',
    'kes trel',
    'a/b',
    '..',
    'a'.repeat(40),
    42,
  ])('refuses the owner %j, saying what is expected', owner =>
    expect(ownerNameProblem(owner)).toBe(
      'expected 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen',
    ),
  );

  it.each(['shop', 'Invoice.Service_2', '.github', 'a-b', 'x'.repeat(100)])(
    'accepts the repository name %j',
    name => expect(repositoryNameProblem(name)).toBeUndefined(),
  );

  it.each([
    ['', 'characters'],
    ['with space', 'characters'],
    ['a/b', 'characters'],
    ['x'.repeat(101), 'characters'],
    ['-flag', 'leading-hyphen'],
    ['.', 'reserved'],
    ['..', 'reserved'],
    ['shop.git', 'reserved'],
    ['shop.GIT', 'reserved'],
  ])('refuses the repository name %j by the %s rule', (name, rule) =>
    expect(repositoryNameProblem(name)?.rule).toBe(rule),
  );

  it('says what GitHub would rename a name to', () => {
    expect(gitHubRenameOf('My Repo!')).toBe('My-Repo-');
    expect(gitHubRenameOf('y'.repeat(120))).toHaveLength(100);
  });

  it('checks topics', () => {
    expect(topicProblem('node-js')).toBeUndefined();
    expect(topicProblem('Not A Topic')).toMatch(/^expected lowercase/);
    expect(topicProblem('-x')).toBeDefined();
    expect(topicProblem('x'.repeat(51))).toBeDefined();
  });

  it.each(['main', 'feature/x', 'release-1.2', 'a/b/c', 'paved/x@y'])(
    'accepts the branch %j as git does',
    branch => expect(branchNameProblem(branch)).toBeUndefined(),
  );

  it.each([
    ['', 'expected a non-empty string'],
    ['a..b', "it must not contain '..'"],
    ['-x', "it must not start with '-'"],
    ['x.', "it must not end with '.'"],
    ['a//b', "it must not start or end with '/' or contain '//'"],
    ['a/.b', "no part between slashes may start with '.'"],
    ['a.lock/b', "no part between slashes may end with '.lock'"],
    ['a b', 'spaces, control characters and ~ ^ : ? * [ \\ are not allowed'],
    ['@', "it must not be '@' or contain '@{'"],
    ['x'.repeat(256), 'expected at most 255 characters'],
  ])('refuses the branch %j: %s', (branch, problem) =>
    expect(branchNameProblem(branch)).toBe(problem),
  );
});
