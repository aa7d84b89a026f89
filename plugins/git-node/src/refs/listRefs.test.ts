import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { createTestRepository } from '../__testUtils__/createTestRepository';
import { listRefNames, readHeadBranch, writeSymbolicRef } from './gitRefs';
import { listRefs } from './listRefs';

describe('listing refs', () => {
  const dir = createMockDirectory();

  it('advertises HEAD, branches and tags, peeling annotated tags and skipping locks', async () => {
    const { gitdir, first, second, tag } = await createTestRepository(dir.path);
    fs.writeFileSync(path.join(gitdir, 'refs/heads/next.lock'), '');
    await expect(listRefNames(gitdir)).resolves.toEqual(['main']);
    await expect(listRefNames(gitdir, 'refs/tags')).resolves.toEqual([
      'v1',
      'v2',
    ]);
    await expect(readHeadBranch(gitdir)).resolves.toBe('main');
    await expect(listRefs(gitdir)).resolves.toEqual({
      head: { target: 'refs/heads/main', oid: second.commit },
      refs: [
        { name: 'refs/heads/main', oid: second.commit },
        { name: 'refs/tags/v1', oid: tag, peeled: first.commit },
        { name: 'refs/tags/v2', oid: second.commit },
      ],
    });

    // HEAD naming a branch that does not exist is not advertised.
    await writeSymbolicRef(gitdir, 'HEAD', 'refs/heads/trunk');
    await expect(readHeadBranch(gitdir)).resolves.toBe('trunk');
    expect((await listRefs(gitdir)).head).toBeUndefined();
  });
});
