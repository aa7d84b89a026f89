import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import path from 'node:path';
import {
  CreateRepositoryOptions,
  CreateRepositoryResult,
  PushInitialContentOptions,
  PushInitialContentResult,
} from '@paved/plugin-publish-node';
import { ForgeUrls } from './ForgeUrls';
import {
  ForgeDirectory,
  ForgeFile,
  ForgeRefs,
  ForgeRepository,
  ForgeResolvedPath,
  LocalForge,
} from './LocalForge';
import { ForgeRepositoryRef, normalizeForgeOwner } from './names';
import { ForgeReader } from './read/ForgeReader';
import { ForgeInitialContent } from './repositories/ForgeInitialContent';
import { ForgeRepositories } from './repositories/ForgeRepositories';
import { ForgeStorage } from './storage/ForgeStorage';
import { ForgeTransport } from './transport/ForgeTransport';

/**
 * The settings of {@link DefaultLocalForge}.
 *
 * @public
 */
export interface LocalForgeOptions {
  /** Where the bare repositories live, as `<owner>/<name>.git`. */
  directory: string;
  /** The forge's public URLs. */
  urls: ForgeUrls;
  /** When set, the only owners repositories may be created under. */
  allowedOwners?: string[];
  logger: LoggerService;
}

/**
 * Reads `paved.forge` (see config.d.ts) and `backend.baseUrl`, under which
 * the forge backend serves the repositories. The directory defaults to `forge`
 * in the portal's data folder, `${PAVED_DATA_DIR:-../../data}` as in
 * app-config.yaml, resolved from the working directory.
 *
 * @public
 */
export function readLocalForgeConfig(
  config: RootConfigService,
): Omit<LocalForgeOptions, 'logger'> {
  const directory =
    config.getOptionalString('paved.forge.directory') ??
    path.join(process.env.PAVED_DATA_DIR || '../../data', 'forge');
  const allowedOwners = config
    .getOptionalStringArray('paved.forge.allowedOwners')
    ?.map((owner, i) => {
      try {
        return normalizeForgeOwner(owner);
      } catch (error) {
        throw new InputError(
          `paved.forge.allowedOwners[${i}]: ${(error as Error).message}`,
        );
      }
    });
  return {
    directory: path.resolve(directory),
    // Every real backend sets backend.baseUrl; tests of other plugins may not.
    urls: ForgeUrls.forBackend(
      config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007',
    ),
    allowedOwners,
  };
}

/**
 * The local forge on disk: bare repositories written with Node's own zlib
 * and crypto, read with isomorphic-git (both through
 * `@paved/plugin-git-node`), so nothing but Node is needed (no git binary on
 * the machine or in the image). A thin facade over one class per concern:
 * repositories (lifecycle and first content), reading, and git transport.
 *
 * @public
 */
export class DefaultLocalForge implements LocalForge {
  readonly urls: ForgeUrls;
  readonly #storage: ForgeStorage;
  readonly #repositories: ForgeRepositories;
  readonly #initialContent: ForgeInitialContent;
  readonly #reader: ForgeReader;
  readonly #transport: ForgeTransport;

  static fromConfig(
    config: RootConfigService,
    options: { logger: LoggerService },
  ): DefaultLocalForge {
    return DefaultLocalForge.create({
      ...readLocalForgeConfig(config),
      logger: options.logger,
    });
  }

  static create(options: LocalForgeOptions): DefaultLocalForge {
    return new DefaultLocalForge(options);
  }

  private constructor(options: LocalForgeOptions) {
    const { urls, logger } = options;
    const storage = ForgeStorage.create({ directory: options.directory });
    this.urls = urls;
    this.#storage = storage;
    this.#repositories = ForgeRepositories.create({
      storage,
      urls,
      allowedOwners: options.allowedOwners,
      logger,
    });
    this.#initialContent = ForgeInitialContent.create({ storage, logger });
    this.#reader = ForgeReader.create({ storage });
    this.#transport = ForgeTransport.create({ storage });
  }

  /** The folder that holds the repositories. */
  get directory(): string {
    return this.#storage.root;
  }

  createRepository(
    options: CreateRepositoryOptions,
  ): Promise<CreateRepositoryResult> {
    return this.#repositories.createRepository(options);
  }

  pushInitialContent(
    options: PushInitialContentOptions,
  ): Promise<PushInitialContentResult> {
    return this.#initialContent.pushInitialContent(options);
  }

  deleteRepository(repo: ForgeRepositoryRef): Promise<{ existed: boolean }> {
    return this.#repositories.deleteRepository(repo);
  }

  getRepository(
    repo: ForgeRepositoryRef,
  ): Promise<ForgeRepository | undefined> {
    return this.#repositories.getRepository(repo);
  }

  listRepositories(): Promise<ForgeRepository[]> {
    return this.#repositories.listRepositories();
  }

  resolvePath(
    repo: ForgeRepositoryRef,
    refAndPath: string,
  ): Promise<ForgeResolvedPath> {
    return this.#reader.resolvePath(repo, refAndPath);
  }

  readFile(
    repo: ForgeRepositoryRef,
    commitSha: string,
    filePath: string,
  ): Promise<ForgeFile> {
    return this.#reader.readFile(repo, commitSha, filePath);
  }

  readDirectory(
    repo: ForgeRepositoryRef,
    commitSha: string,
    dirPath: string,
  ): Promise<ForgeDirectory> {
    return this.#reader.readDirectory(repo, commitSha, dirPath);
  }

  listFiles(repo: ForgeRepositoryRef, commitSha: string, dirPath: string) {
    return this.#reader.listFiles(repo, commitSha, dirPath);
  }

  readBlob(repo: ForgeRepositoryRef, oid: string): Promise<Buffer> {
    return this.#reader.readBlob(repo, oid);
  }

  listRefs(repo: ForgeRepositoryRef): Promise<ForgeRefs> {
    return this.#transport.listRefs(repo);
  }

  packObjects(
    repo: ForgeRepositoryRef,
    options: { wants: string[]; haves: string[]; pack?: boolean },
  ): Promise<{ common: string[]; pack?: Uint8Array }> {
    return this.#transport.packObjects(repo, options);
  }
}
