import { createMockDirectory } from '@backstage/backend-test-utils';
import { createTestRepository } from '../__testUtils__/createTestRepository';
import { packObjects, reachableObjects } from './packObjects';

/** The object count in a packfile's header. */
const objectsIn = (pack: Uint8Array) =>
  Buffer.from(pack.slice(8, 12)).readUInt32BE(0);

describe('packObjects', () => {
  const dir = createMockDirectory();
  let repo: Awaited<ReturnType<typeof createTestRepository>>;

  beforeAll(async () => {
    repo = await createTestRepository(dir.path);
  });

  it('walks what is reachable, stopping at what the client has', async () => {
    const { gitdir, first, second } = repo;
    // 2 commits, 3 trees (root twice, docs), 2 blobs.
    const all = await reachableObjects(gitdir, [second.commit], new Set());
    expect(all.size).toBe(7);
    const had = await reachableObjects(gitdir, [first.commit], new Set());
    const missing = await reachableObjects(gitdir, [second.commit], had);
    expect(missing).toEqual(new Set([...all].filter(oid => !had.has(oid))));
  });

  it('answers wants of advertised tips with the objects a client lacks', async () => {
    const { gitdir, first, second, tag } = repo;
    await expect(
      packObjects(gitdir, { wants: [second.tree], haves: [] }),
    ).rejects.toThrow(`not our ref ${second.tree}`);
    const full = await packObjects(gitdir, {
      wants: [second.commit],
      haves: [],
    });
    expect(full.common).toEqual([]);
    expect(objectsIn(full.pack!)).toBe(7);
    const update = await packObjects(gitdir, {
      wants: [second.commit, tag],
      haves: [first.commit, 'f'.repeat(40), 'not an oid'],
    });
    expect(update.common).toEqual([first.commit]);
    // The new commit, its root tree, docs and guide.md, and the tag.
    expect(objectsIn(update.pack!)).toBe(5);
    await expect(
      packObjects(gitdir, {
        wants: [second.commit],
        haves: [first.commit],
        pack: false,
      }),
    ).resolves.toEqual({ common: [first.commit] });
  });
});
