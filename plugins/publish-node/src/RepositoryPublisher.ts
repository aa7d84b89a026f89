import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * A repository as `paved:publish` names it: the host of the repoUrl, the
 * owner (organisation, user or forge folder) and the name. A publisher that
 * serves one host only may ignore `host`.
 *
 * @public
 */
export interface RepositoryRef {
  host?: string;
  owner: string;
  name: string;
}

/** @public */
export type RepositoryVisibility = 'private' | 'internal';

/**
 * Options of {@link RepositoryPublisher.createRepository}.
 *
 * @public
 */
export interface CreateRepositoryOptions extends RepositoryRef {
  /** Default `private`. `internal` needs an organisation on GitHub Enterprise. */
  visibility?: RepositoryVisibility;
  description?: string;
  /** Lowercase letters, digits and hyphens, at most 50 characters, at most 20. */
  topics?: string[];
  /** The branch the first push creates; default `main`. */
  defaultBranch?: string;
  /**
   * The catalogue group that owns the repository (`group:default/storefront`),
   * recorded with Paved's marker so later actions read the owner from the
   * repository, not from a form. A repository that already carries another
   * recorded owner is a ConflictError: the recorded owner is never replaced.
   */
  ownerGroup?: string;
}

/**
 * What a target recorded about a repository when Paved created it: whether
 * it exists, whether Paved's marker is on it, and the owning group.
 *
 * @public
 */
export interface RecordedOwnership {
  exists: boolean;
  /** True when the repository carries Paved's marker (Paved created it). */
  managed: boolean;
  /** The group entity ref recorded with the marker; set when managed. */
  ownerGroup?: string;
  /**
   * Whether no branch has a commit, read for an existing repository without
   * the marker: an empty one is what a run that crashed before recording
   * the marker leaves, which Paved may adopt.
   */
  empty?: boolean;
}

/**
 * What {@link RepositoryPublisher.createRepository} did.
 *
 * @public
 */
export interface CreateRepositoryResult {
  /** True when this call created the repository. */
  created: boolean;
  /** True when it existed already (left by an earlier run) and was taken over. */
  adopted: boolean;
  /** The owner as the target spells it (the local forge lowercases). */
  owner: string;
  name: string;
  /** The repository's page. */
  htmlUrl: string;
  /** The URL `git clone` takes. */
  cloneUrl: string;
  /** The branch HEAD names. */
  defaultBranch: string;
}

/**
 * Options of {@link RepositoryPublisher.pushInitialContent}.
 *
 * @public
 */
export interface PushInitialContentOptions extends RepositoryRef {
  /** The directory to commit (the scaffolder workspace); its .gitignore applies. */
  sourceDir: string;
  branch: string;
  /** Default {@link DEFAULT_INITIAL_COMMIT_MESSAGE} (GitHub: `scaffolder.defaultCommitMessage` first). */
  message?: string;
  /** Default the publisher's own commit author. */
  author?: { name: string; email: string };
}

/**
 * What {@link RepositoryPublisher.pushInitialContent} did.
 *
 * @public
 */
export interface PushInitialContentResult {
  /** The commit the branch points at. */
  commitSha: string;
  /** False when the branch already held exactly this tree. */
  pushed: boolean;
}

/**
 * What a dry run can say about a repository without writing anything.
 *
 * @public
 */
export interface RepositoryPreview {
  /** Whether the repository exists (as far as the publisher can tell without a request to a live system). */
  exists: boolean;
  /** Whether no branch has a commit yet. */
  empty: boolean;
  htmlUrl: string;
  cloneUrl: string;
}

/**
 * What a publishing call may say besides its request.
 *
 * @public
 */
export interface PublishCallOptions {
  /** Where a publisher says what the step waits for (the task's log). */
  logger?: LoggerService;
}

/**
 * The first commit's message when a caller gives none.
 *
 * @public
 */
export const DEFAULT_INITIAL_COMMIT_MESSAGE = 'initial commit';

/**
 * Somewhere `paved:publish` can put a repository: GitHub, the local forge,
 * or any other target a package provides through
 * `repositoryPublisherServiceRef`.
 *
 * Both writes are idempotent and converge when run again after a crash: an
 * existing repository is adopted, the same content is not pushed twice,
 * other content is a ConflictError naming the repository.
 *
 * @public
 */
export interface RepositoryPublisher {
  /** Names the target in `paved:publish`'s `forge` output and its checkpoint keys: `github`, `local`. */
  readonly id: string;

  /**
   * Whether this publisher `serves` the repoUrl's host (it has credentials
   * for it), takes it only as the `fallback` when no publisher serves it,
   * or not at all (undefined).
   */
  match(host: string): 'serves' | 'fallback' | undefined;

  /** Where a repository on this host goes, for log lines: `GitHub (github.com)`. */
  describe(host: string): string;

  /**
   * Checks owner and name by the target's rules (GitHub's, see `names`) and
   * returns them as the target spells them; an InputError naming repoUrl.
   */
  canonicalRef(ref: RepositoryRef): RepositoryRef;

  /**
   * Reads the marker Paved recorded on the repository: whether Paved created
   * it and which group owns it. Writes nothing.
   */
  recordedOwner(
    ref: RepositoryRef,
    callOptions?: PublishCallOptions,
  ): Promise<RecordedOwnership>;

  /** What a dry run reports: it writes nothing and takes no lock. */
  preview(ref: RepositoryRef): Promise<RepositoryPreview>;

  /** Creates the repository, or adopts one an earlier run left. */
  createRepository(
    options: CreateRepositoryOptions,
    callOptions?: PublishCallOptions,
  ): Promise<CreateRepositoryResult>;

  /**
   * Commits a directory as the first commit of a branch. `pushed` is false
   * when the branch already holds exactly this tree; a ConflictError when
   * it holds other content.
   */
  pushInitialContent(
    options: PushInitialContentOptions,
    callOptions?: PublishCallOptions,
  ): Promise<PushInitialContentResult>;
}
