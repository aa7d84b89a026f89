import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { describeWithGit, git } from '../__testUtils__/gitCli';
import { readHeadBranch } from '../refs/gitRefs';
import { initBareRepository } from './initBareRepository';

describe('initBareRepository', () => {
  const dir = createMockDirectory();

  const gitdir = () => dir.resolve('shop.git');

  beforeEach(async () => {
    dir.clear();
    await initBareRepository(gitdir(), {
      defaultBranch: 'trunk',
      description: 'The shop',
    });
  });

  it('lays out HEAD, refs and the description', async () => {
    await expect(readHeadBranch(gitdir())).resolves.toBe('trunk');
    expect(fs.readFileSync(dir.resolve('shop.git/description'), 'utf8')).toBe(
      'The shop\n',
    );
    expect(fs.readdirSync(dir.resolve('shop.git/refs')).sort()).toEqual([
      'heads',
      'tags',
    ]);
  });

  describeWithGit('checked with the git CLI', () => {
    it('is an empty bare repository git recognises', () => {
      const inRepository = (args: string[]) =>
        git(['--git-dir', gitdir(), ...args]).trim();
      expect(inRepository(['rev-parse', '--is-bare-repository'])).toBe('true');
      expect(inRepository(['symbolic-ref', 'HEAD'])).toBe('refs/heads/trunk');
    });
  });
});
