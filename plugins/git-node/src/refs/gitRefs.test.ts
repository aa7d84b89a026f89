import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { breakStaleLock, compareAndSwapRef, readRef } from './gitRefs';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('git refs', () => {
  const dir = createMockDirectory();
  const gitdir = () => dir.resolve('repo.git');
  const lock = () => dir.resolve('repo.git/refs/heads/main.lock');

  beforeEach(() => {
    dir.clear();
    dir.addContent({ 'repo.git': { refs: { heads: {} } } });
  });

  it('moves a ref only from the value expected', async () => {
    await expect(
      compareAndSwapRef(gitdir(), 'refs/heads/main', {
        expected: undefined,
        value: A,
      }),
    ).resolves.toEqual({ updated: true, previous: undefined });
    await expect(
      compareAndSwapRef(gitdir(), 'refs/heads/main', {
        expected: undefined,
        value: B,
      }),
    ).resolves.toEqual({ updated: false, previous: A });
    await expect(readRef(gitdir(), 'refs/heads/main')).resolves.toBe(A);
    expect(fs.existsSync(lock())).toBe(false);
  });

  it("leaves alone a lock another writer takes the moment this one's is renamed", async () => {
    const rename = fs.promises.rename;
    const spy = jest
      .spyOn(fs.promises, 'rename')
      .mockImplementation(async (from, to) => {
        await rename(from, to);
        if (String(from) === lock()) {
          fs.writeFileSync(lock(), 'the other writer\n');
        }
      });
    try {
      await compareAndSwapRef(gitdir(), 'refs/heads/main', {
        expected: undefined,
        value: A,
      });
    } finally {
      spy.mockRestore();
    }
    expect(fs.readFileSync(lock(), 'utf8')).toBe('the other writer\n');
    await expect(readRef(gitdir(), 'refs/heads/main')).resolves.toBe(A);
  });

  it('breaks a lock a crashed writer left, but not a fresh one that replaced it', async () => {
    fs.writeFileSync(lock(), '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock(), old, old);
    const stale = fs.statSync(lock());

    // Another writer broke the same stale lock first and holds a fresh one.
    fs.rmSync(lock());
    fs.writeFileSync(lock(), `${B}\n`);
    await expect(breakStaleLock(lock(), stale)).resolves.toBe(false);
    expect(fs.readFileSync(lock(), 'utf8')).toBe(`${B}\n`);

    // The stale lock itself is removed, and nothing is left beside it.
    fs.rmSync(lock());
    fs.writeFileSync(lock(), '');
    fs.utimesSync(lock(), old, old);
    await expect(breakStaleLock(lock(), fs.statSync(lock()))).resolves.toBe(
      true,
    );
    expect(fs.readdirSync(dir.resolve('repo.git/refs/heads'))).toEqual([]);
  });

  it('takes over a stale lock when updating, and refuses a fresh one', async () => {
    fs.writeFileSync(lock(), '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock(), old, old);
    await expect(
      compareAndSwapRef(gitdir(), 'refs/heads/main', {
        expected: undefined,
        value: A,
      }),
    ).resolves.toEqual({ updated: true, previous: undefined });
    fs.writeFileSync(lock(), '');
    await expect(
      compareAndSwapRef(gitdir(), 'refs/heads/main', {
        expected: A,
        value: B,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'refs/heads/main is being updated by another writer',
      ),
    });
    await expect(readRef(gitdir(), 'refs/heads/main')).resolves.toBe(A);
  });
});
