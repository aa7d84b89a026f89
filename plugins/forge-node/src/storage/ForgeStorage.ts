import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ForgeRepositoryRef } from '../names';

/** Written next to HEAD in each bare repository. */
const METADATA_FILE = 'paved-forge.json';
/** Repositories being created, then renamed into place. */
const TMP_DIR = '.tmp';
/** Repositories being deleted, renamed here first. */
const TRASH_DIR = '.trash';
/** A repository still being assembled after this long was left by a crash. */
const STALE_TMP_MS = 60 * 60 * 1000;

/** What the forge records about a repository beside its git data. */
export interface ForgeMetadata {
  description?: string;
  topics?: string[];
  visibility?: 'private' | 'internal';
  createdAt?: string;
  /** Paved's marker: the group that owns the repository, recorded when Paved created it. */
  ownerGroup?: string;
}

/** Options of {@link ForgeStorage.create}. */
export interface ForgeStorageOptions {
  /** Where the bare repositories live, as `<owner>/<name>.git`. */
  directory: string;
}

/**
 * The forge's folder: `<owner>/<name>.git` per repository with its metadata
 * file, `.tmp` for repositories being assembled and `.trash` for those being
 * removed, and one queue per repository that serialises its writers in this
 * process.
 */
export class ForgeStorage {
  readonly #root: string;
  readonly #locks = new Map<string, Promise<unknown>>();

  static create(options: ForgeStorageOptions): ForgeStorage {
    return new ForgeStorage(options);
  }

  private constructor(options: ForgeStorageOptions) {
    this.#root = path.resolve(options.directory);
  }

  /** The folder that holds the repositories. */
  get root(): string {
    return this.#root;
  }

  gitdirOf(repo: ForgeRepositoryRef): string {
    return resolveSafeChildPath(this.#root, `${repo.owner}/${repo.name}.git`);
  }

  async exists(repo: ForgeRepositoryRef): Promise<boolean> {
    return isDirectory(this.gitdirOf(repo));
  }

  /** The repository's git directory; NotFoundError when there is none. */
  async existingGitdir(repo: ForgeRepositoryRef): Promise<string> {
    const gitdir = this.gitdirOf(repo);
    if (!(await isDirectory(gitdir))) {
      throw new NotFoundError(
        `Repository ${repo.owner}/${repo.name} does not exist on the local forge`,
      );
    }
    return gitdir;
  }

  /** Every `<owner>/<name>.git` folder, named as found on disk. */
  async listRepositoryFolders(): Promise<ForgeRepositoryRef[]> {
    const found: ForgeRepositoryRef[] = [];
    for (const owner of await readdirSafe(this.#root)) {
      if (owner.startsWith('.')) continue;
      for (const entry of await readdirSafe(path.join(this.#root, owner))) {
        if (entry.endsWith('.git')) {
          found.push({ owner, name: entry.slice(0, -'.git'.length) });
        }
      }
    }
    return found;
  }

  /** Serializes writes to one repository within this process. */
  async exclusive<T>(
    repo: ForgeRepositoryRef,
    fn: () => Promise<T>,
  ): Promise<T> {
    const key = `${repo.owner}/${repo.name}`;
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => {});
    this.#locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === settled) this.#locks.delete(key);
    }
  }

  /**
   * A fresh private folder to assemble a repository in, after removing what
   * crashed runs left there long ago.
   */
  async makeTmpDir(repo: ForgeRepositoryRef): Promise<string> {
    const tmpRoot = path.join(this.#root, TMP_DIR);
    await fs.promises.mkdir(tmpRoot, { recursive: true });
    await removeOlderThan(tmpRoot, STALE_TMP_MS);
    return fs.promises.mkdtemp(
      path.join(tmpRoot, `${repo.owner}--${repo.name}--`),
    );
  }

  /**
   * Removes a repository: one rename takes it away, the removal after it may
   * be slow. What earlier deletions left in the trash goes first.
   */
  async remove(repo: ForgeRepositoryRef): Promise<boolean> {
    const gitdir = this.gitdirOf(repo);
    await this.#emptyTrash();
    if (!(await isDirectory(gitdir))) return false;
    const trash = resolveSafeChildPath(
      this.#root,
      `${TRASH_DIR}/${repo.owner}--${repo.name}--${randomBytes(6).toString(
        'hex',
      )}`,
    );
    await fs.promises.mkdir(path.dirname(trash), { recursive: true });
    await fs.promises.rename(gitdir, trash);
    await fs.promises.rm(trash, { recursive: true, force: true });
    await fs.promises.rmdir(path.dirname(gitdir)).catch(() => {});
    return true;
  }

  async readMetadata(gitdir: string): Promise<ForgeMetadata> {
    try {
      return JSON.parse(
        await fs.promises.readFile(path.join(gitdir, METADATA_FILE), 'utf8'),
      );
    } catch (error) {
      // Repositories made with `git init --bare` have none.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async writeMetadata(gitdir: string, metadata: ForgeMetadata): Promise<void> {
    const file = path.join(gitdir, METADATA_FILE);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.promises.writeFile(tmp, `${JSON.stringify(metadata, null, 2)}\n`);
    await fs.promises.rename(tmp, file);
  }

  async #emptyTrash() {
    const trash = path.join(this.#root, TRASH_DIR);
    for (const entry of await readdirSafe(trash)) {
      await fs.promises.rm(path.join(trash, entry), {
        recursive: true,
        force: true,
      });
    }
  }
}

/** Whether a path is a directory (false when it is missing). */
export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

async function readdirSafe(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

async function removeOlderThan(dir: string, ageMs: number) {
  for (const entry of await readdirSafe(dir)) {
    const file = path.join(dir, entry);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > ageMs) {
      await fs.promises.rm(file, { recursive: true, force: true });
    }
  }
}
