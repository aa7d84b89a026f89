import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  encodeCommit,
  encodeTree,
  writeBufferObject,
  writeFileBlob,
} from './gitObjects';

describe('git objects', () => {
  const dir = createMockDirectory();

  beforeEach(() => {
    dir.clear();
    dir.addContent({ 'repo.git': { objects: {} }, 'src/hello.txt': 'hello\n' });
  });

  const gitdir = () => dir.resolve('repo.git');

  it('stores blobs under the ids git gives them', async () => {
    // `git hash-object` of an empty file and of "hello\n".
    await expect(
      writeBufferObject(gitdir(), 'blob', Buffer.alloc(0)),
    ).resolves.toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    const oid = await writeFileBlob(gitdir(), dir.resolve('src/hello.txt'), 6);
    expect(oid).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const stored = fs.readFileSync(
      path.join(gitdir(), 'objects', oid.slice(0, 2), oid.slice(2)),
    );
    expect(inflateSync(stored).toString()).toBe('blob 6\0hello\n');
  });

  it('stores trees in the order git requires', async () => {
    await expect(
      writeBufferObject(gitdir(), 'tree', encodeTree([])),
    ).resolves.toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    const blob = 'ce013625030ba8dba906f756967f9e9ca394464a';
    // "a.txt" sorts before the folder "a" (compared as "a/"), "a-b" before both.
    const encoded = encodeTree([
      {
        mode: '40000',
        name: 'a',
        oid: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      },
      { mode: '100644', name: 'a.txt', oid: blob },
      { mode: '100644', name: 'a-b', oid: blob },
    ]);
    const names: string[] = [];
    for (let i = 0; i < encoded.length; ) {
      const nul = encoded.indexOf(0, i);
      names.push(encoded.toString('utf8', i, nul).split(' ')[1]);
      i = nul + 21;
    }
    expect(names).toEqual(['a-b', 'a.txt', 'a']);
  });

  it('encodes commits as git does', () => {
    const signature = {
      name: 'Paved',
      email: 'paved@kestrel.example',
      timestamp: 1700000000,
    };
    expect(
      encodeCommit({
        tree: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
        author: signature,
        committer: signature,
        message: 'initial commit',
      }).toString(),
    ).toBe(
      'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n' +
        'author Paved <paved@kestrel.example> 1700000000 +0000\n' +
        'committer Paved <paved@kestrel.example> 1700000000 +0000\n\n' +
        'initial commit\n',
    );
  });

  it('leaves no object under its final name when the content does not match its size', async () => {
    await expect(
      writeFileBlob(gitdir(), dir.resolve('src/hello.txt'), 100),
    ).rejects.toThrow(
      'blob changed while it was being stored (6 bytes read, 100 expected)',
    );
    const objects = fs.readdirSync(path.join(gitdir(), 'objects'));
    expect(objects).toEqual([]);
  });

  it('writes an object that already exists again without error', async () => {
    const a = await writeBufferObject(gitdir(), 'blob', Buffer.from('x'));
    const b = await writeBufferObject(gitdir(), 'blob', Buffer.from('x'));
    expect(a).toBe(b);
    expect(
      fs
        .readdirSync(path.join(gitdir(), 'objects'))
        .filter(f => f.startsWith('tmp_')),
    ).toEqual([]);
  });
});
