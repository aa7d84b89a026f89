import { ConflictError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { loadIsomorphicGit } from './isomorphicGit';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';

/** A lock file older than this was left by a crashed writer; it is broken. */
const STALE_LOCK_MS = 10_000;

/**
 * The commit a ref points at (loose or packed), or undefined when it does not
 * exist.
 */
export async function readRef(
  gitdir: string,
  ref: string,
): Promise<string | undefined> {
  const git = loadIsomorphicGit();
  try {
    return await git.resolveRef({ fs, gitdir, ref });
  } catch (error) {
    if ((error as Error).name === 'NotFoundError') return undefined;
    throw error;
  }
}

/**
 * Creates or moves a ref with git's own locking protocol: take
 * `<ref>.lock` exclusively, check the current value, write the new one into
 * the lock file, flush it, and rename it over the ref. Readers see the old
 * value or the new one, never a partial file, and git itself honours the lock.
 *
 * @returns the ref's value before the update; when it differs from
 * `expected` nothing was written and that value is returned.
 */
export async function compareAndSwapRef(
  gitdir: string,
  ref: string,
  options: { expected: string | undefined; value: string },
): Promise<{ updated: boolean; previous: string | undefined }> {
  const file = resolveSafeChildPath(gitdir, ref);
  const lock = `${file}.lock`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const handle = await takeLock(lock, ref);
  try {
    const previous = await readRef(gitdir, ref);
    if (previous !== options.expected) {
      return { updated: false, previous };
    }
    await handle.writeFile(`${options.value}\n`);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(lock, file);
    return { updated: true, previous };
  } finally {
    await handle.close().catch(() => {});
    await fs.promises.rm(lock, { force: true });
  }
}

/** Points a symbolic ref (HEAD) at a branch, atomically. */
export async function writeSymbolicRef(
  gitdir: string,
  name: string,
  target: string,
): Promise<void> {
  const file = resolveSafeChildPath(gitdir, name);
  const lock = `${file}.lock`;
  const handle = await takeLock(lock, name);
  try {
    await handle.writeFile(`ref: ${target}\n`);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(lock, file);
  } finally {
    await handle.close().catch(() => {});
    await fs.promises.rm(lock, { force: true });
  }
}

/** The branch HEAD names (`refs/heads/...`), or undefined when detached. */
export async function readSymbolicRef(
  gitdir: string,
  name: string,
): Promise<string | undefined> {
  try {
    const content = await fs.promises.readFile(
      resolveSafeChildPath(gitdir, name),
      'utf8',
    );
    const match = content.match(/^ref: (\S+)\s*$/);
    return match ? match[1] : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function takeLock(
  lock: string,
  ref: string,
): Promise<fs.promises.FileHandle> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await fs.promises.open(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const stat = await fs.promises.stat(lock).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
        await fs.promises.rm(lock, { force: true });
      } else if (stat) {
        break;
      }
      // Released or broken meanwhile: try again.
    }
  }
  throw new ConflictError(
    `${ref} is being updated by another writer (${path.basename(
      lock,
    )} exists); try again in a few seconds`,
  );
}
