/**
 * What a test hands the GitHub test driver (organisations, tokens, apps and
 * their installations, feature support, faults) and the repository it gets
 * back when it inspects one.
 */

/** A team of an organisation. @public */
export interface GitHubTestTeam {
  slug: string;
  name?: string;
}

/** An organisation the server knows. @public */
export interface GitHubTestOrg {
  login: string;
  teams?: GitHubTestTeam[];
  /** The branch new repositories report before their first push; `main` by default. */
  defaultBranch?: string;
}

/**
 * A personal access token (classic). Its scopes are sent back in
 * `x-oauth-scopes`, and the scopes an endpoint accepts in
 * `x-accepted-oauth-scopes`, on every answer. An endpoint needing a scope the
 * token lacks answers 404 Not Found, as GitHub does so as not to reveal
 * private resources (deleting a repository: 403 "Must have admin rights to
 * Repository.").
 *
 * @public
 */
export interface GitHubTestToken {
  token: string;
  login: string;
  /** By default `repo`, `admin:org` and `workflow`. */
  scopes?: string[];
}

/** Where a GitHub App is installed, and what the installation may do. @public */
export interface GitHubTestInstallation {
  id: number;
  /** The organisation (or user) login the app is installed on. */
  account: string;
  /**
   * Permission name to `read` or `write`; by default administration,
   * contents, workflows, secrets, variables, environments and pull_requests
   * `write`, actions and members `read`.
   */
  permissions?: Record<string, 'read' | 'write'>;
  /** `all` by default; with `selected`, only `repositories` are accessible. */
  repositorySelection?: 'all' | 'selected';
  repositories?: string[];
}

/** A GitHub App and where it is installed. @public */
export interface GitHubTestApp {
  appId: number;
  /** The app's public key (PEM), to verify its JSON Web Tokens. */
  publicKey: string;
  slug?: string;
  installations: GitHubTestInstallation[];
}

/**
 * How the server answers ruleset (or branch protection) endpoints:
 * `available`; `upgrade-required` (403 "Upgrade to GitHub Pro…", a private
 * repository on the Free plan); or `not-found` (404, a GitHub Enterprise
 * Server release without the feature).
 *
 * @public
 */
export type GitHubTestFeatureSupport =
  | 'available'
  | 'upgrade-required'
  | 'not-found';

/**
 * A fault the server answers instead of handling a request.
 *
 * @public
 */
export interface GitHubTestFault {
  /** HTTP method; any when left out. */
  method?: string;
  /**
   * The REST path (without `/api/v3`), e.g.
   * `/repos/kestrel/shop/environments/production`; a string matches exactly,
   * a RegExp is tested.
   */
  path: string | RegExp;
  /** The status answered (502 by default), with GitHub's error body. */
  status?: number;
  /** The `message` of the error body. */
  message?: string;
  /** Cut the connection instead of answering. */
  dropConnection?: boolean;
  /** How many matching requests fail; 1 by default. */
  times?: number;
}

/** A repository as the test inspects it. @public */
export interface GitHubTestRepository {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  visibility: string;
  description: string | null;
  topics: string[];
  defaultBranch: string;
  archived: boolean;
  /** Rulesets with their full bodies, as GitHub stores them. */
  rulesets: Array<Record<string, any>>;
  /** Branch name to the body of the last PUT .../protection. */
  branchProtection: Record<string, Record<string, any>>;
  /** Team slug to permission. */
  teams: Record<string, string>;
  /** Collaborator login to permission. */
  collaborators: Record<string, string>;
  /** Environment name to its settings. */
  environments: Record<
    string,
    {
      waitTimer: number;
      preventSelfReview: boolean;
      reviewers: Array<{ type: string; id: number }>;
      deploymentBranchPolicy: unknown;
    }
  >;
  secretNames: string[];
  variables: Record<string, string>;
  pullRequests: Array<{
    number: number;
    state: string;
    title: string;
    body: string | null;
    head: string;
    base: string;
  }>;
  /** The GitHub Pages site, or null when Pages is not enabled. */
  pages: {
    buildType: 'legacy' | 'workflow';
    source: { branch: string; path: string };
  } | null;
}

/**
 * The secondary limits the test server keeps on content-creating requests,
 * per identity.
 *
 * @public
 */
export interface GitHubTestContentLimits {
  perMinute: number;
  perHour: number;
  /** Shrinks the minute and the hour (0.1: a minute of 6 s); default 1. */
  timeScale?: number;
}
