import type {
  CreateRepositoryOptions,
  CreateRepositoryResult,
  PushInitialContentOptions,
  PushInitialContentResult,
} from '@paved/plugin-publish-node';
import { ForgeUrls } from './ForgeUrls';
import { ForgeRepositoryRef } from './names';

/**
 * A repository on the forge.
 *
 * @public
 */
export interface ForgeRepository extends ForgeRepositoryRef {
  description?: string;
  topics: string[];
  visibility: 'private' | 'internal';
  defaultBranch: string;
  /** ISO 8601. */
  createdAt?: string;
  htmlUrl: string;
  cloneUrl: string;
  /** True while no branch has a commit. */
  empty: boolean;
  /**
   * The group Paved recorded as the owner when it created the repository
   * (Paved's marker); undefined for a repository Paved did not create.
   */
  ownerGroup?: string;
}

/**
 * A branch, tag or commit resolved from the `<ref>/<path>` part of a URL.
 *
 * @public
 */
export interface ForgeResolvedPath {
  /** The branch, tag or commit as written. */
  ref: string;
  commitSha: string;
  /** Path inside the repository, no leading or trailing slash; '' for the root. */
  path: string;
}

/**
 * An entry of a folder.
 *
 * @public
 */
export interface ForgeTreeEntry {
  name: string;
  /** Path from the repository root. */
  path: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  oid: string;
}

/**
 * A file read at a commit.
 *
 * @public
 */
export interface ForgeFile {
  path: string;
  /** The blob id: changes exactly when the content does. */
  oid: string;
  mode: string;
  commitSha: string;
  /** The commit's date. */
  lastModifiedAt: Date;
  content: Buffer;
}

/**
 * A folder read at a commit.
 *
 * @public
 */
export interface ForgeDirectory {
  path: string;
  /** The tree id: changes exactly when something below it does. */
  oid: string;
  commitSha: string;
  lastModifiedAt: Date;
  entries: ForgeTreeEntry[];
}

/**
 * The refs a repository advertises to git clients.
 *
 * @public
 */
export interface ForgeRefs {
  /** The ref HEAD names, when it exists. */
  head?: { target: string; oid: string };
  /** Branches then tags; `peeled` is the commit an annotated tag points at. */
  refs: Array<{ name: string; oid: string; peeled?: string }>;
}

/**
 * The local forge: bare git repositories on the portal's disk, for the
 * embedded default where no GitHub integration is configured. It offers the
 * two publishing operations of the RepositoryPublisher contract
 * (`LocalForgeRepositoryPublisher` adapts it to that contract) and what the
 * forge backend needs to serve repositories over HTTP.
 *
 * Every write is idempotent and crash-safe: objects are written first, each
 * atomically, and a branch moves only by an atomic rename of its ref.
 *
 * @public
 */
export interface LocalForge {
  /** The forge's public URLs. */
  readonly urls: ForgeUrls;

  /**
   * Creates an empty bare repository, or adopts an existing one (updating its
   * description, topics and visibility; HEAD too while it is empty).
   */
  createRepository(
    options: CreateRepositoryOptions,
  ): Promise<CreateRepositoryResult>;

  /**
   * Commits a directory as the first commit of a branch. Pushed=false when
   * the branch already holds exactly this tree; a ConflictError naming the
   * repository when it holds other content; a NotFoundError when the
   * repository does not exist.
   */
  pushInitialContent(
    options: PushInitialContentOptions,
  ): Promise<PushInitialContentResult>;

  /** Removes a repository; existed=false when there was none. */
  deleteRepository(repo: ForgeRepositoryRef): Promise<{ existed: boolean }>;

  /** A repository, or undefined when there is none. */
  getRepository(repo: ForgeRepositoryRef): Promise<ForgeRepository | undefined>;

  listRepositories(): Promise<ForgeRepository[]>;

  /**
   * Splits `<branch|tag|commit>/<path>` (the ref may contain slashes); an
   * empty string means the default branch. NotFoundError when nothing matches.
   */
  resolvePath(
    repo: ForgeRepositoryRef,
    refAndPath: string,
  ): Promise<ForgeResolvedPath>;

  /** NotFoundError when the path is missing or is a folder. */
  readFile(
    repo: ForgeRepositoryRef,
    commitSha: string,
    path: string,
  ): Promise<ForgeFile>;

  /** NotFoundError when the path is missing or is a file. */
  readDirectory(
    repo: ForgeRepositoryRef,
    commitSha: string,
    path: string,
  ): Promise<ForgeDirectory>;

  /** Every file below a folder (recursively), with paths relative to it. */
  listFiles(
    repo: ForgeRepositoryRef,
    commitSha: string,
    path: string,
  ): Promise<{
    oid: string;
    lastModifiedAt: Date;
    files: Array<{ path: string; oid: string; mode: string }>;
  }>;

  /** A blob's bytes. */
  readBlob(repo: ForgeRepositoryRef, oid: string): Promise<Buffer>;

  /** The refs git's reference discovery advertises. */
  listRefs(repo: ForgeRepositoryRef): Promise<ForgeRefs>;

  /**
   * A packfile with every object reachable from `wants` and not from the
   * `haves` the repository holds (which are returned as `common`). Each want
   * must be an advertised ref tip (git's default for upload-pack). With
   * `pack: false` only `common` is computed (a negotiation round).
   */
  packObjects(
    repo: ForgeRepositoryRef,
    options: { wants: string[]; haves: string[]; pack?: boolean },
  ): Promise<{ common: string[]; pack?: Uint8Array }>;
}
