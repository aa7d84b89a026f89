import { createMockDirectory } from '@backstage/backend-test-utils';
import { readFileAt } from '../read/readObjects';
import { commitChanges } from './commitChanges';
import { commitWorkspace } from './commitWorkspace';

describe('commitChanges', () => {
  const dir = createMockDirectory();

  it('writes and deletes files on top of a commit, as a new branch', async () => {
    dir.setContent({
      workspace: { 'README.md': '# shop\n', 'old.txt': 'old\n' },
    });
    const gitdir = dir.resolve('work.git');
    const author = { name: 'Paved', email: 'paved@kestrel.example' };
    const base = await commitWorkspace({
      sourceDir: dir.resolve('workspace'),
      gitdir,
      branch: 'main',
      message: 'Create shop',
      author,
    });
    const commit = await commitChanges({
      dir: dir.resolve('checkout'),
      gitdir,
      base: base.commit,
      branch: 'paved/codeowners',
      files: { '.github/CODEOWNERS': '* @kestrel/shop\n', 'old.txt': null },
      message: 'Add CODEOWNERS',
      author,
    });
    await expect(
      readFileAt(gitdir, commit, '.github/CODEOWNERS'),
    ).resolves.toEqual(Buffer.from('* @kestrel/shop\n'));
    await expect(readFileAt(gitdir, commit, 'old.txt')).resolves.toBe(
      undefined,
    );
    await expect(readFileAt(gitdir, commit, 'README.md')).resolves.toEqual(
      Buffer.from('# shop\n'),
    );
  });
});
