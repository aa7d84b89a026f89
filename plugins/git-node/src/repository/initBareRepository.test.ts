import { createMockDirectory } from '@backstage/backend-test-utils';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { readHeadBranch } from '../refs/gitRefs';
import { initBareRepository } from './initBareRepository';

const hasGit = spawnSync('git', ['--version']).status === 0;
/** Checked against the real git where it is installed. */
const describeWithGit = hasGit ? describe : describe.skip;

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
      const git = (args: string[]) =>
        execFileSync('git', ['--git-dir', gitdir(), ...args], {
          encoding: 'utf8',
          env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
        }).trim();
      expect(git(['rev-parse', '--is-bare-repository'])).toBe('true');
      expect(git(['symbolic-ref', 'HEAD'])).toBe('refs/heads/trunk');
    });
  });
});
