import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  initBareRepository,
  listRefNames,
  readHeadBranch,
  writeSymbolicRef,
} from '@paved/plugin-git-node';
import {
  CreateRepositoryOptions,
  CreateRepositoryResult,
} from '@paved/plugin-publish-node';
import fs from 'node:fs';
import path from 'node:path';
import { ForgeUrls } from '../ForgeUrls';
import { ForgeRepository } from '../LocalForge';
import {
  ForgeRepositoryRef,
  normalizeForgeOwner,
  normalizeForgeRepositoryRef,
  validateForgeBranchName,
} from '../names';
import { ForgeMetadata, ForgeStorage } from '../storage/ForgeStorage';
import { validateMetadata } from './validateMetadata';

/** Options of {@link ForgeRepositories.create}. */
export interface ForgeRepositoriesOptions {
  storage: ForgeStorage;
  urls: ForgeUrls;
  /** When set, the only owners repositories may be created under. */
  allowedOwners?: string[];
  logger: LoggerService;
}

/**
 * The lifecycle of the forge's repositories: create (or adopt what a crashed
 * run left) with their metadata, look up, list and delete.
 */
export class ForgeRepositories {
  readonly #storage: ForgeStorage;
  readonly #urls: ForgeUrls;
  readonly #allowedOwners?: Set<string>;
  readonly #logger: LoggerService;

  static create(options: ForgeRepositoriesOptions): ForgeRepositories {
    return new ForgeRepositories(options);
  }

  private constructor(options: ForgeRepositoriesOptions) {
    this.#storage = options.storage;
    this.#urls = options.urls;
    this.#allowedOwners = options.allowedOwners
      ? new Set(options.allowedOwners.map(normalizeForgeOwner))
      : undefined;
    this.#logger = options.logger;
  }

  async createRepository(
    options: CreateRepositoryOptions,
  ): Promise<CreateRepositoryResult> {
    const repo = normalizeForgeRepositoryRef(options);
    this.#checkOwner(repo);
    const defaultBranch = validateForgeBranchName(
      options.defaultBranch ?? 'main',
    );
    const metadata = validateMetadata(options);
    const repository = `${repo.owner}/${repo.name}`;

    return this.#storage.exclusive(repo, async () => {
      const gitdir = this.#storage.gitdirOf(repo);
      if (
        !(await this.#storage.exists(repo)) &&
        (await this.#initRepository(repo, gitdir, defaultBranch, metadata))
      ) {
        this.#logger.info(`Created ${repository} on the local forge`, {
          repository,
          owner: repo.owner,
          name: repo.name,
          gitdir,
        });
        return this.#createResult(repo, true, defaultBranch);
      }
      const head = await this.#adopt(gitdir, defaultBranch, metadata);
      this.#logger.info(
        `Adopted ${repository}, which already exists on the local forge`,
        { repository, owner: repo.owner, name: repo.name },
      );
      return this.#createResult(repo, false, head ?? defaultBranch);
    });
  }

  async deleteRepository(
    ref: ForgeRepositoryRef,
  ): Promise<{ existed: boolean }> {
    const repo = normalizeForgeRepositoryRef(ref);
    return this.#storage.exclusive(repo, async () => {
      if (!(await this.#storage.remove(repo))) return { existed: false };
      const repository = `${repo.owner}/${repo.name}`;
      this.#logger.info(`Deleted ${repository} from the local forge`, {
        repository,
        owner: repo.owner,
        name: repo.name,
      });
      return { existed: true };
    });
  }

  async getRepository(
    ref: ForgeRepositoryRef,
  ): Promise<ForgeRepository | undefined> {
    const repo = normalizeForgeRepositoryRef(ref);
    if (!(await this.#storage.exists(repo))) return undefined;
    const gitdir = this.#storage.gitdirOf(repo);
    const metadata = await this.#storage.readMetadata(gitdir);
    const branches = await listRefNames(gitdir);
    return {
      ...repo,
      description: metadata.description,
      topics: metadata.topics ?? [],
      visibility: metadata.visibility ?? 'private',
      defaultBranch: (await readHeadBranch(gitdir)) ?? 'main',
      createdAt: metadata.createdAt,
      ownerGroup: metadata.ownerGroup,
      htmlUrl: this.#urls.repository(repo),
      cloneUrl: this.#urls.clone(repo),
      empty: branches.length === 0,
    };
  }

  async listRepositories(): Promise<ForgeRepository[]> {
    const result: ForgeRepository[] = [];
    for (const folder of await this.#storage.listRepositoryFolders()) {
      try {
        const repo = await this.getRepository(folder);
        if (repo) result.push(repo);
      } catch (error) {
        // A folder someone put here by hand with a name the forge refuses.
        if ((error as Error).name !== 'InputError') throw error;
      }
    }
    return result.sort((a, b) =>
      `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`),
    );
  }

  #checkOwner(repo: ForgeRepositoryRef) {
    if (this.#allowedOwners && !this.#allowedOwners.has(repo.owner)) {
      throw new NotAllowedError(
        `Owner "${
          repo.owner
        }" is not allowed on the local forge; paved.forge.allowedOwners lists ${[
          ...this.#allowedOwners,
        ].join(', ')}`,
      );
    }
  }

  /**
   * Takes over an existing repository: the requested settings win; HEAD only
   * moves while it is empty. Returns the branch HEAD names.
   */
  async #adopt(
    gitdir: string,
    defaultBranch: string,
    metadata: ForgeMetadata,
  ): Promise<string | undefined> {
    const previous = await this.#storage.readMetadata(gitdir);
    if (
      previous.ownerGroup &&
      metadata.ownerGroup &&
      previous.ownerGroup !== metadata.ownerGroup
    ) {
      throw new ConflictError(
        `${path.basename(path.dirname(gitdir))}/${path.basename(
          gitdir,
          '.git',
        )} on the local forge is recorded as owned by ${
          previous.ownerGroup
        }; Paved will not record ${metadata.ownerGroup} as its owner`,
      );
    }
    await this.#storage.writeMetadata(gitdir, {
      ...previous,
      ...metadata,
      createdAt: previous.createdAt ?? new Date().toISOString(),
    });
    if ((await listRefNames(gitdir)).length === 0) {
      await writeSymbolicRef(gitdir, 'HEAD', `refs/heads/${defaultBranch}`);
      return defaultBranch;
    }
    return readHeadBranch(gitdir);
  }

  /**
   * Builds the repository in a private folder and renames it into place, so
   * a crash leaves no half-initialised repository under its real name.
   * Returns false when another writer created it first.
   */
  async #initRepository(
    repo: ForgeRepositoryRef,
    gitdir: string,
    defaultBranch: string,
    metadata: ForgeMetadata,
  ): Promise<boolean> {
    const tmp = await this.#storage.makeTmpDir(repo);
    try {
      await initBareRepository(tmp, {
        defaultBranch,
        description:
          (metadata.description ?? '').replace(/\s+/g, ' ').trim() ||
          `${repo.owner}/${repo.name}`,
      });
      await this.#storage.writeMetadata(tmp, {
        ...metadata,
        createdAt: new Date().toISOString(),
      });
      await fs.promises.mkdir(path.dirname(gitdir), { recursive: true });
      try {
        await fs.promises.rename(tmp, gitdir);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
        throw error;
      }
    } finally {
      await fs.promises.rm(tmp, { recursive: true, force: true });
    }
  }

  #createResult(
    repo: ForgeRepositoryRef,
    created: boolean,
    defaultBranch: string,
  ): CreateRepositoryResult {
    return {
      created,
      adopted: !created,
      owner: repo.owner,
      name: repo.name,
      htmlUrl: this.#urls.repository(repo),
      cloneUrl: this.#urls.clone(repo),
      defaultBranch,
    };
  }
}
