import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  CreateRepositoryOptions,
  CreateRepositoryResult,
  PushInitialContentOptions,
  PushInitialContentResult,
  RecordedOwnership,
  RepositoryRef,
} from '@paved/plugin-publish-node';

/**
 * What every {@link GitHubRepoService} call may say besides its request.
 *
 * @public
 */
export interface GitHubCallOptions {
  /**
   * Where to say that a write waits for its turn in GitHub's write budget,
   * with how many writes are ahead and for about how long: the task's log.
   * Default the service's own logger.
   */
  logger?: LoggerService;
}

/**
 * A repository on a GitHub host. `host` is the `integrations.github` host;
 * when left out, the one GitHub integration with credentials (github.com
 * when there are several or none).
 *
 * @public
 */
export type GitHubRepoRef = RepositoryRef;

/** @public */
export interface ProtectDefaultBranchOptions extends GitHubRepoRef {
  /**
   * The branch to protect. When left out, the ruleset targets
   * `~DEFAULT_BRANCH`, and the branch protection fallback asks GitHub for
   * the default branch.
   */
  branch?: string;
  /** Status check contexts (CI job names) that must pass before merging. */
  requiredStatusChecks?: string[];
  /** Approvals a pull request needs; default 1. */
  requiredApprovingReviewCount?: number;
  /** Whether code owners must approve; default true. */
  requireCodeOwnerReview?: boolean;
  /** Whether new commits dismiss approvals; default true. */
  dismissStaleReviews?: boolean;
  /** The ruleset's name; default `paved-default-branch`. */
  rulesetName?: string;
}

/** @public */
export interface ProtectDefaultBranchResult {
  /** How the branch is protected: a ruleset, or classic branch protection where rulesets are unavailable. */
  method: 'ruleset' | 'branch-protection';
  /** `created` by this call, or `unchanged` (already exactly so). */
  action: 'created' | 'unchanged';
  /** The ruleset's id; 0 for branch protection. */
  rulesetId: number;
  /** The branch protected, or `~DEFAULT_BRANCH`. */
  branch: string;
  requiredStatusChecks: string[];
}

/** The roles GitHub grants on a repository. @public */
export type GitHubRepoPermission =
  | 'pull'
  | 'triage'
  | 'push'
  | 'maintain'
  | 'admin';

/** @public */
export interface GrantTeamAccessOptions extends GitHubRepoRef {
  /** The team's slug in the repository's organisation. */
  team: string;
  permission: GitHubRepoPermission;
  /**
   * Remove the admin rights of the account that created the repository
   * (a token's user); default `paved.github.removeCreatorAdmin`.
   */
  removeCreatorAdmin?: boolean;
}

/** @public */
export interface GrantTeamAccessResult {
  team: string;
  permission: GitHubRepoPermission;
  /** `granted` by this call, or `unchanged`. */
  action: 'granted' | 'unchanged';
  /**
   * `removed` (the creator is no longer a direct collaborator), `kept` (not
   * asked to), or `not-applicable` (GitHub App credentials: the app is no
   * collaborator).
   */
  creatorAdmin: 'removed' | 'kept' | 'not-applicable';
  /** The creator's login when one was removed. */
  creator?: string;
}

/** @public */
export interface RemoveCreatorAdminResult {
  /** See {@link GrantTeamAccessResult.creatorAdmin}. */
  creatorAdmin: 'removed' | 'kept' | 'not-applicable';
  creator?: string;
}

/** A reviewer of deployments: a team slug or a user login. @public */
export type GitHubEnvironmentReviewer = { team: string } | { user: string };

/** @public */
export interface GitHubEnvironmentSpec {
  name: string;
  /** Minutes a deployment waits before it starts (0 to 43200); default 0. */
  waitTimer?: number;
  /** Who must approve deployments (at most 6). */
  reviewers?: GitHubEnvironmentReviewer[];
  /** Whether the one who triggered a deployment may not approve it; default false. */
  preventSelfReview?: boolean;
  /** Only protected branches may deploy; default false (any branch). */
  protectedBranchesOnly?: boolean;
}

/** @public */
export interface EnsureEnvironmentsOptions extends GitHubRepoRef {
  environments: GitHubEnvironmentSpec[];
}

/** @public */
export interface EnsureEnvironmentsResult {
  /** Environments created, or configured from GitHub's unprotected default. */
  created: string[];
  /** Environments already exactly so. */
  unchanged: string[];
}

/** @public */
export interface EnablePagesResult {
  /** `enabled` by this call, or `unchanged` (the workflow already builds the site). */
  action: 'enabled' | 'unchanged';
  /** The site's address, e.g. `https://kestrel.github.io/docs/`. */
  url: string;
}

/** @public */
export interface SetActionsSecretsOptions extends GitHubRepoRef {
  /** Secret name to value. Values are sealed with the repository's key and never logged. */
  secrets: Record<string, string>;
}

/** @public */
export interface SetActionsSecretsResult {
  created: string[];
  updated: string[];
}

/** @public */
export interface SetActionsVariablesOptions extends GitHubRepoRef {
  variables: Record<string, string>;
}

/** @public */
export interface SetActionsVariablesResult {
  created: string[];
  unchanged: string[];
}

/** @public */
export interface EnsureCodeOwnersOptions extends GitHubRepoRef {
  /** The file's content (see `codeOwnersContent`). */
  content: string;
  /** Default `.github/CODEOWNERS`. */
  path?: string;
  /** Default the repository's default branch. */
  branch?: string;
  /** The commit message; default "Add CODEOWNERS". */
  message?: string;
}

/** @public */
export interface EnsureCodeOwnersResult {
  path: string;
  action: 'created' | 'unchanged';
  /** The commit that added it; empty when unchanged. */
  commitSha: string;
}

/** @public */
export interface OpenPullRequestOptions extends GitHubRepoRef {
  /** The branch to create with the change. */
  branch: string;
  /** The branch to merge into; default the repository's default branch. */
  base?: string;
  title: string;
  body?: string;
  /** Path to new content, or null to delete the file. */
  files: Record<string, string | Buffer | null>;
  /** Commit message; default the title. */
  message?: string;
  author?: { name: string; email: string };
  draft?: boolean;
}

/** @public */
export interface OpenPullRequestResult {
  /**
   * `opened` by this call; `exists` (an open pull request from the branch
   * already proposes exactly this change); `up-to-date` (the base already
   * holds it: nothing to propose).
   */
  status: 'opened' | 'exists' | 'up-to-date';
  /** The pull request's number; 0 when up to date. */
  number: number;
  /** Its page; empty when up to date. */
  htmlUrl: string;
  branch: string;
  base: string;
}

/** @public */
export interface ArchiveRepositoryResult {
  /**
   * `archived` by this call; `unchanged` (it already was); `not-found` (there
   * is no such repository: nothing to undo).
   */
  action: 'archived' | 'unchanged' | 'not-found';
}

/** @public */
export interface DeleteRepositoryOptions extends GitHubRepoRef {
  /**
   * Delete it even when it holds more than Paved put there: another branch,
   * commits by anyone but Paved's commit authors, open issues or pull
   * requests. Default false: such a repository is a ConflictError, as
   * deleting it would lose that work.
   */
  force?: boolean;
}

/** @public */
export interface DeleteRepositoryResult {
  /** `deleted` by this call, or `not-found` (already gone: nothing to undo). */
  action: 'deleted' | 'not-found';
}

/**
 * Options of {@link GitHubRepoService.listWorkflowRuns}.
 *
 * @public
 */
export interface ListWorkflowRunsOptions extends GitHubRepoRef {
  /** How many of the newest runs; 20 by default, at most 100. */
  perPage?: number;
}

/**
 * A GitHub Actions workflow run, as Paved shows it.
 *
 * @public
 */
export interface GitHubWorkflowRun {
  id: number;
  /** The workflow's name. */
  name: string;
  /** queued, in_progress, completed... */
  status: string | null;
  /** success, failure, cancelled... once completed. */
  conclusion: string | null;
  headSha: string;
  headBranch: string | null;
  event: string;
  htmlUrl: string;
  createdAt: string;
}

/**
 * Repositories born protected: every operation is idempotent (what already
 * exists exactly as asked is left alone; what exists otherwise is a
 * ConflictError naming it), fails with a Backstage error that says what and
 * why, and never logs or returns a secret value.
 *
 * @public
 */
export interface GitHubRepoService {
  /** Creates a repository in an organisation, or adopts an existing one. */
  createRepository(
    options: CreateRepositoryOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<CreateRepositoryResult>;

  /**
   * Pushes a directory as the first commit of a branch, over git. The
   * default message is `scaffolder.defaultCommitMessage`, else the
   * contract's; the default author `scaffolder.defaultAuthor`, else Paved.
   */
  pushInitialContent(
    options: PushInitialContentOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<PushInitialContentResult>;

  /**
   * Protects the default branch with a ruleset (pull request reviews with
   * code owners, required status checks, no force-push, no deletion),
   * falling back to branch protection where rulesets are unavailable.
   */
  protectDefaultBranch(
    options: ProtectDefaultBranchOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<ProtectDefaultBranchResult>;

  /** Grants a team its role, and removes the creator's admin rights when asked. */
  grantTeamAccess(
    options: GrantTeamAccessOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<GrantTeamAccessResult>;

  /**
   * Removes the admin rights GitHub gave the account that created the
   * repository (a token's user): `enabled` defaults to
   * `paved.github.removeCreatorAdmin`; nothing to do for a GitHub App.
   */
  removeCreatorAdmin(
    options: GitHubRepoRef & { enabled?: boolean },
    callOptions?: GitHubCallOptions,
  ): Promise<RemoveCreatorAdminResult>;

  /** Creates deployment environments with their protection rules. */
  ensureEnvironments(
    options: EnsureEnvironmentsOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<EnsureEnvironmentsResult>;

  /**
   * Enables the repository's GitHub Pages site, built and deployed by its
   * Actions workflow (`build_type: workflow`). A site that the workflow
   * already builds is left alone; one published from a branch is a
   * ConflictError.
   */
  enablePages(
    options: GitHubRepoRef,
    callOptions?: GitHubCallOptions,
  ): Promise<EnablePagesResult>;

  /** Sets Actions secrets, sealed with the repository's public key. */
  setActionsSecrets(
    options: SetActionsSecretsOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<SetActionsSecretsResult>;

  /** Sets Actions variables. */
  setActionsVariables(
    options: SetActionsVariablesOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<SetActionsVariablesResult>;

  /** Adds a CODEOWNERS file. */
  ensureCodeOwners(
    options: EnsureCodeOwnersOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<EnsureCodeOwnersResult>;

  /** Opens a pull request with file changes against a repository. */
  openPullRequest(
    options: OpenPullRequestOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<OpenPullRequestResult>;

  /** The repository's GitHub Actions workflow runs, newest first. Reads only. */
  listWorkflowRuns(
    options: ListWorkflowRunsOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<GitHubWorkflowRun[]>;

  /**
   * The marker Paved recorded on a repository when it created it (the
   * topics `paved-managed` and `paved-owner-<group>`): whether it exists,
   * whether Paved created it, and the owning group. Reads only.
   */
  recordedOwner(
    options: GitHubRepoRef,
    callOptions?: GitHubCallOptions,
  ): Promise<RecordedOwnership>;

  /**
   * Archives a repository (read-only, and undone by unarchiving it on
   * GitHub): the reversible undo of createRepository.
   */
  archiveRepository(
    options: GitHubRepoRef,
    callOptions?: GitHubCallOptions,
  ): Promise<ArchiveRepositoryResult>;

  /**
   * Deletes a repository: the undo of createRepository. Needs the token's
   * `delete_repo` scope (a GitHub App: administration write) and admin
   * rights on the repository. Refuses one that holds more than Paved put
   * there unless `force` is set.
   */
  deleteRepository(
    options: DeleteRepositoryOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<DeleteRepositoryResult>;
}
