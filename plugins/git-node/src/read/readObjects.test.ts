import { createMockDirectory } from '@backstage/backend-test-utils';
import { createTestRepository } from '../__testUtils__/createTestRepository';
import {
  expandCommitOid,
  hasObject,
  peelTags,
  readBlob,
  readCommit,
  readFileAt,
  readObjectType,
} from './readObjects';
import { listTreeFiles, readTreeAt } from './readTree';

describe('reading objects', () => {
  const dir = createMockDirectory();
  let repo: Awaited<ReturnType<typeof createTestRepository>>;

  beforeAll(async () => {
    repo = await createTestRepository(dir.path);
  });

  it('reads commits, files at a commit and blobs', async () => {
    const { gitdir, first, second } = repo;
    const commit = await readCommit(gitdir, second.commit);
    expect(commit).toEqual({
      tree: second.tree,
      parents: [first.commit],
      committedAt: expect.any(Date),
    });
    const guide = await readFileAt(gitdir, second.commit, 'docs/guide.md');
    expect(guide).toEqual(Buffer.from('guide\n'));
    await expect(
      readFileAt(gitdir, first.commit, 'docs/guide.md'),
    ).resolves.toBeUndefined();
    const entry = (await readTreeAt(gitdir, second.commit, 'docs'))!.entries[0];
    await expect(readBlob(gitdir, entry.oid)).resolves.toEqual(guide);
    await expect(readObjectType(gitdir, entry.oid)).resolves.toBe('blob');
  });

  it('reads trees at a path, and nothing where there is no folder', async () => {
    const { gitdir, second } = repo;
    const root = await readTreeAt(gitdir, second.commit, '');
    expect(root).toMatchObject({ oid: second.tree });
    expect(root!.entries.map(e => `${e.type}:${e.path}`)).toEqual([
      'blob:README.md',
      'tree:docs',
    ]);
    await expect(
      readTreeAt(gitdir, second.commit, 'README.md'),
    ).resolves.toBeUndefined();
    await expect(
      readTreeAt(gitdir, second.commit, 'nowhere'),
    ).resolves.toBeUndefined();
    const files = await listTreeFiles(gitdir, second.tree);
    expect(files.map(f => `${f.mode}:${f.path}`)).toEqual([
      '100644:README.md',
      '100644:docs/guide.md',
    ]);
  });

  it('knows which objects it holds, expands commit ids and peels tags', async () => {
    const { gitdir, first, second, tag } = repo;
    await expect(hasObject(gitdir, second.tree)).resolves.toBe(true);
    await expect(hasObject(gitdir, 'f'.repeat(40))).resolves.toBe(false);
    await expect(
      expandCommitOid(gitdir, second.commit.slice(0, 7)),
    ).resolves.toBe(second.commit);
    // A tree is an object, but not a commit.
    await expect(
      expandCommitOid(gitdir, second.tree.slice(0, 7)),
    ).resolves.toBeUndefined();
    await expect(expandCommitOid(gitdir, 'main')).resolves.toBeUndefined();
    expect(tag).not.toBe(first.commit);
    await expect(peelTags(gitdir, tag, 5)).resolves.toBe(first.commit);
    await expect(peelTags(gitdir, tag, 0)).resolves.toBe(tag);
    await expect(peelTags(gitdir, second.commit, 5)).resolves.toBe(
      second.commit,
    );
  });
});
