import {
  normalizeForgeOwner,
  normalizeForgeRepositoryName,
  validateForgeBranchName,
} from './names';

describe('forge names', () => {
  it('canonicalises owners and names to lowercase, as GitHub compares them', () => {
    expect(normalizeForgeOwner('Kestrel-Logistics')).toBe('kestrel-logistics');
    expect(normalizeForgeRepositoryName('Invoice.Service_2')).toBe(
      'invoice.service_2',
    );
    expect(normalizeForgeRepositoryName('.github')).toBe('.github');
  });

  it.each([
    '',
    '-kestrel',
    'kestrel-',
    'kes--trel',
    'kes trel',
    'kestrel/other',
    '..',
    '../etc',
    'a'.repeat(40),
  ])('refuses the owner %j and says what is expected', owner => {
    expect(() => normalizeForgeOwner(owner)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /^Invalid repository owner .*: expected 1 to 39 letters, digits or single hyphens/,
        ),
      }),
    );
  });

  it.each([
    '',
    '.',
    '..',
    '../../etc/passwd',
    'a/b',
    '-flag',
    'name.git',
    'with space',
    'x'.repeat(101),
  ])('refuses the repository name %j', name => {
    expect(() => normalizeForgeRepositoryName(name)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/^Invalid repository name /),
      }),
    );
  });

  it('accepts branch names git accepts', () => {
    for (const branch of ['main', 'feature/x', 'release-1.2', 'a/b/c']) {
      expect(validateForgeBranchName(branch)).toBe(branch);
    }
  });

  it.each([
    ['', 'non-empty'],
    ['a b', 'spaces'],
    ['a..b', "'..'"],
    ['../x', "'..'"],
    ['/main', "'/'"],
    ['main/', "'/'"],
    ['a//b', "'//'"],
    ['.hidden', "start with '.'"],
    ['x/.y', "start with '.'"],
    ['main.lock', "'.lock'"],
    ['main.', "end with '.'"],
    ['-x', "start with '-'"],
    ['@', "'@'"],
    ['a@{1}', "'@{'"],
    ['a~1', '~'],
    ['a:b', ':'],
  ])('refuses the branch %j (%s)', (branch, why) => {
    expect(() => validateForgeBranchName(branch)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(why),
      }),
    );
  });
});
