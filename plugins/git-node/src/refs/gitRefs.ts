import { ConflictError, InputError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadIsomorphicGit } from '../loadIsomorphicGit';

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
  const file = refFile(gitdir, ref);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  let previous: string | undefined;
  const updated = await replaceUnderLock(file, ref, async () => {
    previous = await readRef(gitdir, ref);
    return previous === options.expected ? `${options.value}\n` : undefined;
  });
  return { updated, previous };
}

/** Points a symbolic ref (HEAD) at a branch, atomically. */
export async function writeSymbolicRef(
  gitdir: string,
  name: string,
  target: string,
): Promise<void> {
  await replaceUnderLock(
    refFile(gitdir, name),
    name,
    async () => `ref: ${target}\n`,
  );
}

/**
 * Takes `<file>.lock`, asks `decide` (holding the lock) what to write, and
 * renames the flushed lock over the file; nothing is written when `decide`
 * returns undefined. Returns whether the file was replaced.
 */
async function replaceUnderLock(
  file: string,
  name: string,
  decide: () => Promise<string | undefined>,
): Promise<boolean> {
  const lock = `${file}.lock`;
  const handle = await takeLock(lock, name);
  let released = false;
  try {
    const content = await decide();
    if (content === undefined) return false;
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(lock, file);
    released = true;
    return true;
  } finally {
    await handle.close().catch(() => {});
    // Once renamed, the lock's name may already be another writer's lock.
    if (!released) await fs.promises.rm(lock, { force: true });
  }
}

/** The branch HEAD names (`refs/heads/...`), or undefined when detached. */
export async function readSymbolicRef(
  gitdir: string,
  name: string,
): Promise<string | undefined> {
  try {
    const content = await fs.promises.readFile(refFile(gitdir, name), 'utf8');
    const match = content.match(/^ref: (\S+)\s*$/);
    return match ? match[1] : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes a lock file a crashed writer left, but only the very file that was
 * found stale (`seen`): two writers may find the same stale lock, and the
 * first to break it may already hold a fresh one under the same name, which
 * a plain removal by the second would take away from it. The file is moved
 * aside (atomically), compared with what was seen, and put back if it is
 * not the stale one.
 *
 * @returns whether the stale lock was removed
 */
export async function breakStaleLock(
  lock: string,
  seen: fs.Stats,
): Promise<boolean> {
  // Ending in .lock, so that neither git nor the forge reads it as a ref.
  const aside = `${lock}.stale-${randomBytes(6).toString('hex')}.lock`;
  try {
    await fs.promises.rename(lock, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = await fs.promises.stat(aside);
  const same =
    moved.ino === seen.ino &&
    moved.dev === seen.dev &&
    moved.mtimeMs === seen.mtimeMs;
  if (!same) {
    // Another writer's live lock: back under its name (link fails rather
    // than replace a lock a third writer took meanwhile).
    await fs.promises.link(aside, lock).catch(() => {});
  }
  await fs.promises.rm(aside, { force: true });
  return same;
}

/**
 * The branch names under `refs/heads` (or the names under another prefix),
 * loose and packed. Lock files of a writer in progress (or crashed) are not
 * refs.
 *
 * @public
 */
export async function listRefNames(
  gitdir: string,
  prefix: string = 'refs/heads',
): Promise<string[]> {
  const git = loadIsomorphicGit();
  const names = await git.listRefs({ fs, gitdir, filepath: prefix });
  return names.filter(name => !name.endsWith('.lock'));
}

/**
 * The branch HEAD names, without `refs/heads/`; undefined when HEAD is
 * detached or missing.
 *
 * @public
 */
export async function readHeadBranch(
  gitdir: string,
): Promise<string | undefined> {
  const target = await readSymbolicRef(gitdir, 'HEAD');
  return target?.startsWith('refs/heads/')
    ? target.slice('refs/heads/'.length)
    : undefined;
}

/** The file of a ref inside the git directory; nothing outside it. */
function refFile(gitdir: string, ref: string): string {
  const parts = ref.split('/');
  if (
    !(ref === 'HEAD' || parts[0] === 'refs') ||
    parts.some(p => p === '' || p === '.' || p === '..') ||
    /[\\\0]/.test(ref)
  ) {
    throw new InputError(`Invalid ref ${JSON.stringify(ref)}`);
  }
  return path.join(gitdir, ...parts);
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
      if (stat && Date.now() - stat.mtimeMs <= STALE_LOCK_MS) break;
      if (stat) await breakStaleLock(lock, stat);
      // Released or broken meanwhile: try again.
    }
  }
  throw new ConflictError(
    `${ref} is being updated by another writer (${path.basename(
      lock,
    )} exists); try again in a few seconds`,
  );
}
